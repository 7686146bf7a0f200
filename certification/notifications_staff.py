"""E-mails to staff: the officers when corrections arrive or a file passes its decision target,
a juror when assigned (with the day the scorecard is expected) and when it is overdue, the
chair when a session with undecided items is near.

Composed by the `notify` job (tasks.py) from what is committed when it runs, each recipient in
their own language (User.language). A reminder whose cause has gone meanwhile (the scorecard
came, the file was decided) composes nothing.
"""

from django.conf import settings
from django.core.mail import EmailMessage

from . import notifications
from .choices import ApplicationStatus, Declaration
from .domain import reminders
from .domain.jury import active_jurors
from .models import Application, JurorAssignment, JurySession, SchemeRules
from .notifications import (
    _application_context,
    _compose_per_language,
    _officers_not_members,
    _url,
)


def _staff_context(application: Application, **context) -> dict:
    return {
        **_application_context(application),
        **context,
        "organization": application.organization,
        "issuer": settings.CERTIFICATE_ISSUER,
        "staff_url": _url("staff_application", application.pk),
        "inbox_url": _url("staff_inbox"),
    }


def _user_address(user) -> list[tuple[str, str]]:
    return [(user.email, user.language or settings.LANGUAGE_CODE)] if user.email else []


def corrections_received(*, application_id: int) -> list[EmailMessage]:
    """The applicant's confirmation, and the officers told the file is back to be checked."""
    messages = notifications.corrections_received(application_id=application_id)
    application = Application.objects.select_related("organization").get(pk=application_id)
    officers = _officers_not_members(application.organization)
    return messages + _compose_per_language(
        "corrections_received_staff", _staff_context(application), officers
    )


def jurors_assigned(*, application_id: int, assignment_ids: list[int]) -> list[EmailMessage]:
    """Each juror assigned: which application, and the day the scorecard is expected."""
    days = SchemeRules.current().scoring_days
    messages = []
    assignments = JurorAssignment.objects.filter(pk__in=assignment_ids).select_related(
        "juror", "application__organization"
    )
    for assignment in assignments.order_by("pk"):
        context = _staff_context(
            assignment.application,
            due=reminders.scoring_due(assignment, days=days),
            scoring_days=days,
        )
        messages += _compose_per_language(
            "jurors_assigned", context, _user_address(assignment.juror)
        )
    return messages


def scoring_overdue(*, assignment_id: int) -> list[EmailMessage]:
    assignment = JurorAssignment.objects.select_related("juror", "application__organization").get(
        pk=assignment_id
    )
    if (
        assignment.application.status != ApplicationStatus.SCORING
        or assignment.declaration == Declaration.RECUSED
        or hasattr(assignment, "scorecard")
    ):
        return []  # scored, recused or moved on meanwhile
    context = _staff_context(assignment.application, due=reminders.scoring_due(assignment))
    return _compose_per_language("scoring_overdue", context, _user_address(assignment.juror))


def decision_target_passed(*, application_id: int) -> list[EmailMessage]:
    application = Application.objects.select_related("organization").get(pk=application_id)
    if application.status not in reminders.UNDECIDED:
        return []
    context = _staff_context(
        application,
        target_days=SchemeRules.current().decision_target_days,
        status=application.get_status_display(),
    )
    return _compose_per_language(
        "decision_target_passed", context, _officers_not_members(application.organization)
    )


def session_due(*, session_id: int) -> list[EmailMessage]:
    """The chair: the session's date and the agenda items still to be decided."""
    session = JurySession.objects.get(pk=session_id)
    undecided = [
        item.application
        for item in session.agenda.filter(resolution__isnull=True).select_related("application")
    ]
    if not undecided:
        return []
    chairs = [
        address
        for member in active_jurors().filter(is_chair=True).order_by("pk")
        for address in _user_address(member.user)
    ]
    context = {
        "session": session,
        "applications": undecided,
        "issuer": settings.CERTIFICATE_ISSUER,
        "session_url": _url("staff_session", session.pk),
    }
    return _compose_per_language("session_due", context, chairs)
