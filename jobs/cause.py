"""Which request caused a job: kept with the job when it is enqueued, set again around its run.

A job row written while a request (or another job) runs stores that request's id in its stored
arguments, beside "args" and "kwargs" (django_tasks_db reads those two keys only: the task never
sees it; the admin shows it). Every enqueue path gets it, ours and allauth's, because it is
added as the row is saved. The worker sets it again for the time of the run, so each line the job
logs (Django's "Task … state=…", the worker's retry and failure lines, whatever the task logs)
carries the id of the request that caused it. A job no request caused (a daily job) runs under
its own id, which the jobs it enqueues in turn carry.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.signals import pre_save
from django_tasks_db.models import DBTaskResult

from logcontext import request_id

KEY = "request_id"


def record(sender, instance: DBTaskResult, **kwargs) -> None:
    """pre_save of a queue row: a new job remembers the request running now, if any."""
    if not instance._state.adding or not isinstance(instance.args_kwargs, dict):
        return
    current = request_id.get()
    if current and KEY not in instance.args_kwargs:
        instance.args_kwargs = {**instance.args_kwargs, KEY: current}


def connect() -> None:
    pre_save.connect(record, sender=DBTaskResult, dispatch_uid="jobs.cause.record")


def of(job: DBTaskResult) -> str:
    """The id the job's lines carry: its request's, else its own."""
    stored = job.args_kwargs.get(KEY) if isinstance(job.args_kwargs, dict) else None
    return stored or uuid.UUID(str(job.pk)).hex


@contextmanager
def running(job: DBTaskResult) -> Iterator[str]:
    token = request_id.set(of(job))
    try:
        yield request_id.get()
    finally:
        request_id.reset(token)
