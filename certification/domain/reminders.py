"""Reminders the daily jobs send: each announced once for the thing it is about, however often
the job runs (a marker row, jobs.once.do_once, in the announcement's transaction)."""

import datetime

from django.utils import timezone

from jobs.once import do_once

from .. import events
from ..choices import ApplicationStatus, Declaration, SessionStatus
from ..models import Application, JurorAssignment, JurySession, SchemeRules

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


# Applications the jury has yet to decide: their file is complete and the clock runs.
UNDECIDED = (
    ApplicationStatus.JURY_ASSIGNMENT,
    ApplicationStatus.SCORING,
    ApplicationStatus.DECISION,
)

# The chair is reminded this many days before a session that still has items to decide.
SESSION_WARNING_DAYS = 2


def scoring_due(assignment: JurorAssignment, *, days: int | None = None) -> datetime.date:
    """The day the juror's scorecard is expected: the date fixed when assigned (due_on), or for
    an assignment without one, the scheme's scoring days after assignment."""
    if assignment.due_on is not None:
        return assignment.due_on
    days = days if days is not None else SchemeRules.current().scoring_days
    return timezone.localdate(assignment.assigned_at) + datetime.timedelta(days=days)


def remind_overdue_scoring(*, today: datetime.date | None = None) -> list[JurorAssignment]:
    """Jurors whose scorecard is past its expected day: reminded once per assignment."""
    today = today or timezone.localdate()
    days = SchemeRules.current().scoring_days
    pending = (
        JurorAssignment.objects.filter(application__status=ApplicationStatus.SCORING)
        .exclude(declaration=Declaration.RECUSED)
        .filter(scorecard__isnull=True)
        .select_related("application")
        .order_by("assigned_at", "pk")
    )
    reminded = []
    for assignment in pending:
        if scoring_due(assignment, days=days) >= today:
            continue
        if announce_once(
            f"scoring:{assignment.pk}", events.SCORING_OVERDUE, assignment_id=assignment.pk
        ):
            reminded.append(assignment)
    return reminded


def flag_decision_targets(*, today: datetime.date | None = None) -> list[Application]:
    """Undecided applications whose complete file is older than the scheme's decision target:
    the officers told once per application."""
    today = today or timezone.localdate()
    target = SchemeRules.current().decision_target_days
    late = Application.objects.filter(
        status__in=UNDECIDED,
        complete_at__isnull=False,
    ).order_by("complete_at", "pk")
    flagged = []
    for application in late:
        if timezone.localdate(application.complete_at) + datetime.timedelta(days=target) >= today:
            continue
        if announce_once(
            f"decision-target:{application.pk}",
            events.DECISION_TARGET_PASSED,
            application_id=application.pk,
        ):
            flagged.append(application)
    return flagged


def remind_chairs_of_sessions(*, today: datetime.date | None = None) -> list[JurySession]:
    """Scheduled sessions in the next days with agenda items not yet decided: the chair told
    once per session and date (a session moved to another day is told again)."""
    today = today or timezone.localdate()
    soon = JurySession.objects.filter(
        status=SessionStatus.SCHEDULED,
        agenda__resolution__isnull=True,
    ).distinct()
    reminded = []
    for session in soon.order_by("starts_at", "pk"):
        day = timezone.localdate(session.starts_at)
        if not today <= day <= today + datetime.timedelta(days=SESSION_WARNING_DAYS):
            continue
        if announce_once(
            f"session:{session.pk}:{day.isoformat()}", events.SESSION_DUE, session_id=session.pk
        ):
            reminded.append(session)
    return reminded
