"""Reminders the daily jobs send: each announced once for the thing it is about, however often
the job runs (a marker row, jobs.once.do_once, in the announcement's transaction)."""

import datetime

from django.utils import timezone

from jobs.once import do_once

from .. import events
from ..choices import ApplicationStatus
from ..models import Application

# The applicant is warned this many days before the corrections deadline (or later, if the
# period given was shorter), once per deadline.
CORRECTIONS_WARNING_DAYS = 3


def announce_once(key: str, event: str, **data) -> bool:
    """Announce `event` unless an announcement under `key` was made before."""
    return do_once(f"remind:{key}", lambda: events.announce(event, **data))


def warn_corrections_deadlines(*, today: datetime.date | None = None) -> list[Application]:
    """Applications awaiting corrections whose deadline is near: warned now (once each)."""
    today = today or timezone.localdate()
    near = Application.objects.filter(
        status=ApplicationStatus.CORRECTIONS,
        corrections_deadline__gte=today,
        corrections_deadline__lte=today + datetime.timedelta(days=CORRECTIONS_WARNING_DAYS),
    ).order_by("corrections_deadline", "pk")
    warned = []
    for application in near:
        deadline = application.corrections_deadline.isoformat()
        if announce_once(
            f"corrections:{application.pk}:{deadline}",
            events.CORRECTIONS_DEADLINE_NEAR,
            application_id=application.pk,
            deadline=deadline,
            today=today.isoformat(),
        ):
            warned.append(application)
    return warned
