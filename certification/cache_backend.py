"""The default cache in production: the shared one (Redis) while it answers, else one per process.

Every user of the cache goes through `caches["default"]`, including code we do not own
(allauth's rate limits, viewflow's avatar lookup), so the cache itself must not fail: when the
shared cache stops answering, each process counts and stores in its own memory instead, and
tries the shared one again a few seconds later. Rate limits then hold per process (with N
processes, up to N times the rate) rather than refusing everyone or letting everything
through.

What must not be answered from one process's memory (the registry's answers, which another
process may have made stale) reads `shared_cache()`, which raises CacheUnavailable instead:
its callers fall back to the database.
"""

import contextlib
import logging
import time

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Shared by the threads and the cache instances of the process, per shared cache location.
_down_until: dict[str, float] = {}


def _outage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError]  # refused, reset, timed out
    try:
        from redis.exceptions import RedisError
    except ImportError:  # a cache URL for another store
        return tuple(errors)
    # Connection and timeout errors, and a server that refuses writes (out of memory,
    # read-only replica, loading): all mean the store is not there to use.
    return (*errors, RedisError)


OUTAGE = _outage_errors()

OPERATIONS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "get_or_set",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
)


class CacheUnavailable(Exception):
    """The shared cache did not answer (see `shared_cache`)."""


class SharedCache(BaseCache):
    """OPTIONS: SHARED, the shared cache's own configuration (as in CACHES)."""

    def __init__(self, location, params):
        super().__init__(params)
        config = params["OPTIONS"]["SHARED"]
        self.shared = import_string(config["BACKEND"])(config.get("LOCATION", ""), config)
        # Room for a counter per client of a busy hour: past it, LocMemCache drops entries
        # (a third at a time), and a dropped counter lets its client start afresh.
        self.local = LocMemCache(
            f"fallback:{location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 50_000}},
        )
        self.name = str(config.get("LOCATION", ""))
        self.strict = _Strict(self)

    def is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self.name, 0.0)

    def call(self, operation: str, *args, fallback: bool = True, **kwargs):
        if not self.is_down():
            try:
                return getattr(self.shared, operation)(*args, **kwargs)
            except OUTAGE as error:
                # Left alone for a while: a dead host would otherwise cost every cache call
                # a connection timeout.
                retry = settings.CACHE_RETRY_SECONDS
                _down_until[self.name] = time.monotonic() + retry
                logger.warning(
                    "The shared cache %s does not answer (%r): each process uses its own "
                    "memory for %s s.",
                    self.name,
                    error,
                    retry,
                )
        if not fallback:
            raise CacheUnavailable(self.name)
        return getattr(self.local, operation)(*args, **kwargs)

    def close(self, **kwargs):
        with contextlib.suppress(*OUTAGE):
            self.shared.close(**kwargs)


def _delegate(operation: str):
    def method(self, *args, **kwargs):
        return self.call(operation, *args, **kwargs)

    method.__name__ = operation
    return method


for _operation in OPERATIONS:
    setattr(SharedCache, _operation, _delegate(_operation))


class _Strict:
    """The shared cache's operations, raising CacheUnavailable instead of using local memory."""

    def __init__(self, cache: SharedCache):
        self._cache = cache

    def __getattr__(self, operation: str):
        if operation not in OPERATIONS:
            raise AttributeError(operation)
        return lambda *args, **kwargs: self._cache.call(operation, *args, fallback=False, **kwargs)


def shared_cache():
    """The default cache for answers that only hold if every process sees the same entries.

    Raises CacheUnavailable (or the backend's own error, for a plain backend) when it is down:
    the caller answers from the database.
    """
    cache = caches["default"]
    return cache.strict if isinstance(cache, SharedCache) else cache


def shared_backend(config: dict) -> str:
    """The BACKEND that actually stores the entries of a CACHES entry."""
    if config.get("BACKEND", "").endswith("cache_backend.SharedCache"):
        return config["OPTIONS"]["SHARED"]["BACKEND"]
    return config.get("BACKEND", "")


NOT_SHARED = ("locmem.LocMemCache", "dummy.DummyCache")


@checks.register(checks.Tags.caches, deploy=True)
def check_cache_shared_in_production(app_configs=None, **kwargs):
    """Each worker process with its own cache counts its own rate limits: with N workers a
    client gets N times the limit, and a failed-login limit N times the guesses."""
    if shared_backend(settings.CACHES["default"]).endswith(NOT_SHARED):
        return [
            checks.Warning(
                "The default cache is not shared by the app's processes: every process "
                "counts its own rate limits (API, public pages, logins), so each limit is "
                "multiplied by the number of processes.",
                hint="Set CACHE_URL (or REDIS_URL), e.g. redis://127.0.0.1:6379/0.",
                id="certification.W030",
            )
        ]
    return []
