"""Deadlines as data: the officer extends a corrections deadline (with a reason, audited, the
applicant e-mailed the new date). The daily reminder (reminders.py) is keyed by the deadline, so
the warning before an extended deadline is sent again for the new date.

Also the dated things the staff task lists show beside the workflow's tasks: suspensions whose
correction period has ended (the officer reinstates or revokes) and corrections awaited.
"""

import datetime

from django.db import transaction
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import events
from ..choices import ApplicationStatus, CertificateStatus, CertificateTransition, Declaration
from ..models import Application, Certificate, CertificateStatusChange, JurorAssignment
from ..permissions import is_officer
from . import audit
from .errors import DomainError

# A reason longer than this is a paste gone wrong.
REASON_MAX_LENGTH = 2000


def extension_problems(
    *, current: datetime.date | None, new_deadline: datetime.date | None, reason: str
) -> list[DomainError]:
    """Every rule an extension breaks, all at once (the form asks this too). No database."""
    problems = []
    today = timezone.localdate()
    if new_deadline is None:
        problems.append(DomainError(_("Give the new deadline."), field="deadline"))
    elif new_deadline <= today:
        problems.append(DomainError(_("The new deadline must be after today."), field="deadline"))
    elif current is not None and new_deadline <= current:
        problems.append(
            DomainError(
                _("The new deadline must be later than the current one, %(date)s.")
                % {"date": date_format(current, "SHORT_DATE_FORMAT")},
                field="deadline",
            )
        )
    reason = (reason or "").strip()
    if not reason:
        problems.append(
            DomainError(
                _("Give the reason for the extension. The applicant is told it."),
                field="reason",
            )
        )
    elif len(reason) > REASON_MAX_LENGTH:
        problems.append(
            DomainError(
                _("Keep the reason to at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
                field="reason",
            )
        )
    return problems


@transaction.atomic
def extend_corrections_deadline(
    *, application: Application, officer, new_deadline: datetime.date, reason: str
) -> Application:
    """Move the corrections deadline of an application awaiting corrections to a later day."""
    if officer is None or not is_officer(officer):
        raise DomainError(_("Only a ROPS officer can extend the corrections deadline."))
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.CORRECTIONS:
        raise DomainError(_("This application is not waiting for corrections."))
    previous = locked.corrections_deadline
    problems = extension_problems(current=previous, new_deadline=new_deadline, reason=reason)
    if problems:
        raise problems[0]
    locked.corrections_deadline = new_deadline
    locked.save(update_fields=["corrections_deadline"])
    event = audit.record(
        actor=officer,
        action="review.deadline_extended",
        application=locked,
        message=reason.strip(),
        previous_deadline=previous.isoformat() if previous else None,
        deadline=new_deadline.isoformat(),
    )
    events.announce(
        events.CORRECTIONS_DEADLINE_EXTENDED,
        application_id=locked.pk,
        audit_event_id=event.pk,
    )
    return locked


def due_change_problems(
    *, current: datetime.date | None, due_on: datetime.date | None, reason: str
) -> list[DomainError]:
    """Every rule a change of a juror's due date breaks, all at once. No database."""
    problems = []
    if due_on is None:
        problems.append(DomainError(_("Give the new due date."), field="due_on"))
    elif due_on <= timezone.localdate():
        problems.append(DomainError(_("The new due date must be after today."), field="due_on"))
    elif due_on == current:
        problems.append(DomainError(_("The scorecard is already due on that day."), field="due_on"))
    reason = (reason or "").strip()
    if not reason:
        problems.append(DomainError(_("Give the reason for the change."), field="reason"))
    elif len(reason) > REASON_MAX_LENGTH:
        problems.append(
            DomainError(
                _("Keep the reason to at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
                field="reason",
            )
        )
    return problems


def is_open(assignment: JurorAssignment) -> bool:
    """The juror has yet to score: the application is being scored, not recused, no scorecard."""
    return (
        assignment.application.status == ApplicationStatus.SCORING
        and assignment.declaration != Declaration.RECUSED
        and not hasattr(assignment, "scorecard")
    )


@transaction.atomic
def change_scoring_due(
    *, assignment: JurorAssignment, officer, due_on: datetime.date, reason: str
) -> JurorAssignment:
    """Move the day a juror's scorecard is expected (the task lists show it; audited)."""
    if officer is None or not is_officer(officer):
        raise DomainError(_("Only a ROPS officer can change a juror's due date."))
    # The row lock scoring takes too (jury._locked_assignment): ordered with a scorecard sent.
    locked = (
        JurorAssignment.objects.select_for_update()
        .select_related("application", "juror")
        .get(pk=assignment.pk)
    )
    if not is_open(locked):
        raise DomainError(_("This juror has no scorecard to send for this application any more."))
    previous = locked.due_on
    problems = due_change_problems(current=previous, due_on=due_on, reason=reason)
    if problems:
        raise problems[0]
    locked.due_on = due_on
    locked.save(update_fields=["due_on"])
    audit.record(
        actor=officer,
        action="jury.due_changed",
        application=locked.application,
        message=reason.strip(),
        juror=locked.juror.username,
        previous_due=previous.isoformat() if previous else None,
        due=due_on.isoformat(),
    )
    return locked


def suspensions_ended(*, today: datetime.date | None = None) -> QuerySet[Certificate]:
    """Suspended certificates whose correction period ends today or has ended: the officer's to
    reinstate or revoke. Annotated with `correction_until`, the end of the period; one query.

    Gone from the list once reinstated or revoked (no longer suspended) or expired by date.
    """
    today = today or timezone.localdate()
    latest_suspension = CertificateStatusChange.objects.filter(
        certificate=OuterRef("pk"), transition=CertificateTransition.SUSPEND
    ).order_by("-effective", "-pk")
    return (
        Certificate.objects.filter(status=CertificateStatus.SUSPENDED, valid_until__gte=today)
        .annotate(
            correction_until=Subquery(latest_suspension.values("correction_until")[:1]),
            suspended_at=Subquery(latest_suspension.values("effective")[:1]),
        )
        .filter(correction_until__lte=today)
        .select_related("organization")
        .order_by("correction_until", "pk")
    )


def corrections_awaited() -> QuerySet[Application]:
    """Applications waiting for the applicant's corrections, earliest deadline first."""
    return (
        Application.objects.filter(status=ApplicationStatus.CORRECTIONS)
        .select_related("organization")
        .order_by("corrections_deadline", "pk")
    )


def with_open_assignments(users: QuerySet) -> QuerySet:
    """Jurors annotated with their load: `open_assignments`, the applications they have yet to
    score (in scoring, not recused, no scorecard), and `nearest_due`, the earliest due date among
    them. In the same query as the users."""
    unfinished = Q(
        jury_assignments__application__status=ApplicationStatus.SCORING,
        jury_assignments__scorecard__isnull=True,
    ) & ~Q(jury_assignments__declaration=Declaration.RECUSED)
    return users.annotate(
        open_assignments=Count("jury_assignments", filter=unfinished, distinct=True),
        nearest_due=Min("jury_assignments__due_on", filter=unfinished),
    )
