"""What the job engine keeps besides the queue itself (django_tasks_db's DBTaskResult)."""

from django.db import models


class Done(models.Model):
    """A side effect outside the database (an e-mail sent) that must not happen twice.

    Written in the same transaction as the effect is attempted: if sending fails the row rolls
    back; a second run of the job finds the row and skips the effect.
    """

    key = models.CharField(max_length=200, unique=True)
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class PeriodicRun(models.Model):
    """One periodic job enqueued for one slot (a day): the unique pair lets several workers on
    several hosts schedule without a crontab and without running a day's job twice."""

    name = models.CharField(max_length=100)
    slot = models.CharField(max_length=40)
    enqueued_at = models.DateTimeField(auto_now_add=True)
    job_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="jobs_periodic_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.slot}"
