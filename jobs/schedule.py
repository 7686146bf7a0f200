"""Periodic jobs, scheduled by the workers themselves: no crontab.

settings.JOBS_PERIODIC maps a name to {"task": dotted path of a django.tasks Task, "at": "HH:MM"}
(local time). Each day, the first worker to look after that time enqueues the job; the
PeriodicRun row (unique per name and day) keeps the others, on any host, from doing it again.
A day the workers were all down is caught up when one comes back, the same day only.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicRun


def periodic_jobs() -> dict[str, dict]:
    return settings.JOBS_PERIODIC


def task_of(name: str):
    return import_string(periodic_jobs()[name]["task"])


def _due(at: str, now: datetime.datetime) -> bool:
    hour, minute = (int(part) for part in at.split(":"))
    return timezone.localtime(now).time() >= datetime.time(hour, minute)


def enqueue_due(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each periodic job whose time has come today and that nobody enqueued yet."""
    now = now or timezone.now()
    slot = timezone.localtime(now).date().isoformat()
    done = set(PeriodicRun.objects.filter(slot=slot).values_list("name", flat=True))
    enqueued = []
    for name, spec in periodic_jobs().items():
        if name in done or not _due(spec["at"], now):
            continue
        try:
            with transaction.atomic():
                run = PeriodicRun.objects.create(name=name, slot=slot)
                result = task_of(name).enqueue()
                run.job_id = str(result.id)
                run.save(update_fields=["job_id"])
        except IntegrityError:  # another worker was first
            continue
        enqueued.append(name)
    return enqueued


def enqueue_now(name: str) -> str:
    """Enqueue a periodic job at once, outside its schedule; the job's id."""
    return str(task_of(name).enqueue().id)
