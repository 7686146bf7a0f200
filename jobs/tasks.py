"""The job engine's own upkeep, run daily like the others (settings.JOBS_PERIODIC)."""

import datetime
import io

from django.conf import settings
from django.core.management import call_command
from django.tasks import task
from django.utils import timezone

from .models import Done, PeriodicRun


@task
def prune_jobs() -> str:
    """Forget finished jobs after JOBS_KEEP_DAYS (failed ones after three times that), and the
    markers of e-mails sent by jobs that can no longer run again."""
    days = settings.JOBS_KEEP_DAYS
    out = io.StringIO()
    call_command(
        "prune_db_task_results",
        "--queue-name=*",
        f"--min-age-days={days}",
        f"--failed-min-age-days={days * 3}",
        stdout=out,
    )
    cutoff = timezone.now() - datetime.timedelta(days=days * 3)
    # Reminders' markers ("remind:…", certification.domain.reminders) are kept: each says a
    # reminder went out for good, and forgetting it would send the reminder again.
    markers, _ = Done.objects.filter(done_at__lt=cutoff).exclude(key__startswith="remind:").delete()
    runs, _ = PeriodicRun.objects.filter(enqueued_at__lt=cutoff).delete()
    return f"{out.getvalue().strip()} {markers} sent-marker(s), {runs} schedule row(s) removed."
