"""The readiness checks of /health/ready: can this process serve a request right now?

Each check is cheap and real: the database answers a query, the cache stores and returns a
value, the storage takes a small file and deletes it again. They run side by side in threads,
and the answer waits at most settings.HEALTH_CHECK_TIMEOUT seconds: a load balancer asks every
few seconds, and a check that hangs (a frozen Redis, a stuck S3 endpoint) must fail, not hold
the worker. A thread still stuck after the timeout is left to finish on its own.

A check that passes returns None; one that fails raises.

Only the database is ESSENTIAL: without it nothing can be served. The cache, the storage and the
job queue are
shared by every app server, and the app degrades without them (limits counted per process, the
registry read from the database; uploads and issuing refused with a message, every public page
still answering). Failing readiness for them would make the load balancer take every server out
at once and turn a degraded service into no service (and a queue backlog is the workers' fault,
not this web server's): they are reported as "degraded" with a 200,
for monitoring to alert on (docs/operations.md, "Monitoring").
"""

import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection

from certification.cache_backend import shared_cache
from jobs.worker import pending

logger = logging.getLogger(__name__)


def database() -> None:
    # Runs in its own thread, hence on a connection of its own: this asks whether a new
    # connection can be made and answers, which is what every worker needs after a restart.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                raise RuntimeError("SELECT 1 did not answer 1")
    finally:
        connection.close()


def cache_roundtrip() -> None:
    # The shared cache itself, not the per-process memory the app falls back on.
    cache = shared_cache()
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=30)
    try:
        if cache.get(key) != "1":
            # Local memory always answers; a shared cache that drops what it was just given
            # (full, evicting, misconfigured) fails here.
            raise RuntimeError("the cache did not return the value it was given")
    finally:
        cache.delete(key)


def storage() -> None:
    # A write, not a read: a read-only or full disk, or a bucket without write rights, makes
    # every upload and certificate fail while reads still work.
    name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


class QueueBacklog(Exception):
    """More jobs wait than HEALTH_QUEUE_BACKLOG_MAX: the workers are down, stuck or too few."""


def queue() -> None:
    try:
        backlog = pending()
    except DatabaseError:
        return  # the database check names that failure; the queue is not known to be behind
    finally:
        connection.close()  # this thread's own connection, as in database()
    if backlog > settings.HEALTH_QUEUE_BACKLOG_MAX:
        raise QueueBacklog(f"{backlog} jobs wait (more than {settings.HEALTH_QUEUE_BACKLOG_MAX})")


CHECKS = {"database": database, "cache": cache_roundtrip, "storage": storage, "queue": queue}
ESSENTIAL = {"database"}


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    milliseconds: int
    error: str = ""  # the exception's class only: the page is public, the log has the rest


def run(checks: dict | None = None) -> list[Result]:
    checks = CHECKS if checks is None else checks
    timeout = settings.HEALTH_CHECK_TIMEOUT
    started = time.monotonic()
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health")
    futures = {name: executor.submit(_timed, name, check) for name, check in checks.items()}
    wait(futures.values(), timeout=timeout)
    executor.shutdown(wait=False, cancel_futures=True)
    results = []
    for name, future in futures.items():
        if future.done():
            results.append(future.result())
        else:
            elapsed = round((time.monotonic() - started) * 1000)
            logger.warning("health check %s: no answer within %s s", name, timeout)
            results.append(Result(name, False, elapsed, "Timeout"))
    return results


def _timed(name: str, check) -> Result:
    started = time.monotonic()
    try:
        check()
    except Exception as error:
        logger.warning("health check %s failed: %r", name, error)
        return Result(name, False, _ms_since(started), type(error).__name__)
    return Result(name, True, _ms_since(started))


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
