"""Is the worker that took a job still alive?

On PostgreSQL the worker holds a session-level advisory lock named after the job from the
moment it claims it (inside the claiming transaction) until the job is done. The server releases
the lock when the worker's connection ends — process killed, host gone — so another worker
finds the lock free and runs the job again at once. Elsewhere (SQLite in development) there are
no such locks, and time tells: a job RUNNING longer than JOBS_STALLED_SECONDS.
"""

import datetime
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def _locks() -> bool:
    return connection.vendor == "postgresql"


def _key(job_id) -> int:
    return uuid.UUID(str(job_id)).int & (2**63 - 1)  # a signed bigint, as the lock takes


def hold(job_id) -> None:
    """Mark the job as ours for as long as this connection lives (or until release)."""
    if _locks():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_key(job_id)])


def release(job_id) -> None:
    if _locks():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(job_id)])


def requeue_orphans() -> int:
    """Put back in the queue the RUNNING jobs whose worker is gone; how many."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    if not _locks():
        limit = timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALLED_SECONDS)
        return running.filter(started_at__lt=limit).update(
            status=TaskResultStatus.READY, run_after=timezone.now()
        )
    requeued = 0
    for job_id in running.values_list("pk", flat=True)[:1000]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(job_id)])
            if not cursor.fetchone()[0]:
                continue  # its worker holds it: alive
        try:
            with transaction.atomic():
                # SKIP LOCKED: a worker claiming it right now holds the row and waits for this
                # lock; waiting for its row here would deadlock.
                if running.filter(pk=job_id).select_for_update(skip_locked=True).exists():
                    requeued += running.filter(pk=job_id).update(
                        status=TaskResultStatus.READY, run_after=timezone.now()
                    )
        finally:
            release(job_id)
    return requeued
