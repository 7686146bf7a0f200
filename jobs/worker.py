"""The worker loop over django_tasks_db's queue table, with what that backend leaves out:
retries with backoff for transient failures, jobs left running by a dead worker (liveness.py),
and the periodic jobs (schedule.py).

A job is claimed in a short transaction with SELECT ... FOR UPDATE SKIP LOCKED and marked
RUNNING before it runs, so two workers (on any hosts sharing the database) never take the same
job; the job then runs outside that transaction, each of its steps in its own.
"""

import datetime
import logging
import smtplib
import time
from traceback import format_exception

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django.tasks import TaskContext
from django.tasks.base import TaskResultStatus
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from . import cause, liveness, schedule

logger = logging.getLogger("jobs")
UPKEEP_SECONDS = 30


class Transient(Exception):
    """Raised (or chained) by a job for a failure worth retrying later."""


def _transient_types() -> tuple[type[BaseException], ...]:
    # SMTP refusing or dropping the connection, a database restart, S3 unreachable or busy.
    types: list[type[BaseException]] = [Transient, OSError, smtplib.SMTPException]
    types += [OperationalError, InterfaceError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        types += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - boto3 is a dependency
        pass
    return tuple(types)


TRANSIENT = _transient_types()


def is_transient(error: BaseException) -> bool:
    """True if the error or anything it was raised from is a transient kind."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, TRANSIENT):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def backoff(attempt: int) -> datetime.timedelta:
    """Wait before attempt `attempt + 1`: doubling from JOBS_RETRY_SECONDS, capped."""
    seconds = settings.JOBS_RETRY_SECONDS * 2 ** max(attempt - 1, 0)
    return datetime.timedelta(seconds=min(seconds, settings.JOBS_RETRY_MAX_SECONDS))


def _record_error(job: DBTaskResult, error: BaseException) -> None:
    job.exception_class_path = f"{type(error).__module__}.{type(error).__qualname__}"
    job.traceback = "".join(format_exception(error))


def _retry_later(job: DBTaskResult, error: BaseException) -> None:
    # Back to READY with the error kept, so the admin list shows why it waits.
    _record_error(job, error)
    job.status = TaskResultStatus.READY
    job.run_after = timezone.now() + backoff(len(job.worker_ids))
    job.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])


class Worker:
    def __init__(
        self,
        *,
        worker_id: str,
        queues: list[str] | None = None,
        periodic: bool = True,
        schedule: bool = True,
    ):
        self.worker_id = worker_id
        self.queues = queues
        self.periodic = periodic  # upkeep: dead workers' jobs, and (with schedule) daily jobs
        self.schedule = schedule
        self._next_upkeep = 0.0

    def _ready(self):
        ready = DBTaskResult.objects.ready()
        return ready.filter(queue_name__in=self.queues) if self.queues else ready

    def claim(self) -> DBTaskResult | None:
        with exclusive_transaction():
            job = self._ready().get_locked()
            if job is not None:
                # Before the commit makes it RUNNING for others: see liveness.py.
                liveness.hold(job.pk)
                job.claim(self.worker_id)
        return job

    def run(self, job: DBTaskResult) -> None:
        # Every line logged meanwhile carries the id of the request that caused the job.
        with cause.running(job):
            self._run(job)

    def _run(self, job: DBTaskResult) -> None:
        # Django's task signals (for metrics and logs) are sent as its own backends send them.
        sender = DatabaseBackend
        try:
            task = job.task
            result = job.task_result
            task_started.send(sender=sender, task_result=result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
            job.set_successful(value)
        except Exception as error:
            attempts = len(job.worker_ids)
            if is_transient(error) and attempts < settings.JOBS_MAX_ATTEMPTS:
                logger.warning(
                    "job %s (%s) attempt %d failed, will retry: %r",
                    job.pk,
                    job.task_path,
                    attempts,
                    error,
                )
                _retry_later(job, error)
            else:
                logger.error(
                    "job %s (%s) failed after %d attempt(s): %r",
                    job.pk,
                    job.task_path,
                    attempts,
                    error,
                )
                job.set_failed(error)
        try:
            finished = job.task_result
        except (ImportError, SuspiciousOperation):  # a job whose task no longer exists
            return
        task_finished.send(sender=sender, task_result=finished)

    def step(self) -> bool:
        """Schedule what is due, claim one job and run it; False when there was none."""
        if not connection.in_atomic_block:  # (a test's transaction is not the worker's to close)
            close_old_connections()  # a restarted PostgreSQL costs a reconnect, not the worker
        if self.periodic and time.monotonic() >= self._next_upkeep:
            # Twice a minute is plenty: a dead worker's job waits at most this long.
            self._next_upkeep = time.monotonic() + UPKEEP_SECONDS
            liveness.requeue_orphans()
            if self.schedule:
                schedule.enqueue_due()
        job = self.claim()
        if job is None:
            return False
        try:
            self.run(job)
        finally:
            liveness.release(job.pk)
        return True


def drain(*, max_jobs: int = 1000, worker_id: str = "drain") -> int:
    """Run ready jobs in this process until none is left (or max_jobs ran); how many ran.

    What `run_worker --batch` and the tests use: the same claim-and-run code as the worker.
    """
    worker = Worker(worker_id=worker_id, periodic=False)
    ran = 0
    while ran < max_jobs and worker.step():
        ran += 1
    return ran


def pending() -> int:
    """Jobs waiting to run (ready or waiting for a retry): the backlog."""
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
