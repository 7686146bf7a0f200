"""Notifications in the service: each event that e-mails a person also leaves them a line in
their list (header → "Notifications"), written in the event's transaction by the dispatcher, so
it exists if and only if the change committed, like the e-mail's job.

The recipients here are those the e-mails go to (notifications*.py, session_mail.py): the
organisation's active members; the officers who are not its members; the juror assigned; the
chairs; the jury's active members. Each link is a page that recipient may open: the applicant's
own application page or the public certificate page for members, the staff file for officers,
the task list for a juror (the file opens to them only once they declare impartiality), the
session page for chairs and "My sessions" for the jury.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from .. import events
from ..choices import NotificationMode
from ..models import (
    Application,
    Certificate,
    CertificateStatusChange,
    CertificateVersion,
    FormalReview,
    JurorAssignment,
    JurySession,
    LocationProposal,
    Notification,
    OrganizationChangeRequest,
    ReconsiderationRequest,
    Resolution,
    SchemeRules,
    User,
)
from ..permissions import OFFICERS_GROUP
from . import audit
from .certificates import number_to_slug
from .inbox_kinds import URGENT
from .jury import active_jurors
from .reminders import scoring_due

# (recipients, kind, params, link) for one event.
Entry = tuple[Iterable[User], str, dict, str]


def _members(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(organizations=organization_id, is_active=True)


def _officers(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(groups__name=OFFICERS_GROUP, is_active=True).exclude(
        organizations=organization_id
    )


def _app_params(application: Application, **more) -> dict:
    return {"number": application.number, "organization": application.organization.name, **more}


def _for_members(application: Application, kind: str, **more) -> Entry:
    link = reverse("application_detail", args=[application.pk])
    return _members(application.organization_id), kind, _app_params(application, **more), link


def _for_officers(application: Application, kind: str) -> Entry:
    link = reverse("staff_application", args=[application.pk])
    return _officers(application.organization_id), kind, _app_params(application), link


def _application(pk: int) -> Application:
    return Application.objects.select_related("organization").get(pk=pk)


def _for_certificate(certificate: Certificate, kind: str, date=None) -> Entry:
    link = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    params = {"certificate": certificate.number, "date": date.isoformat() if date else ""}
    return _members(certificate.organization_id), kind, params, link


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def _review_entries(event: str, review_id: int) -> list[Entry]:
    review = FormalReview.objects.select_related("application__organization").get(pk=review_id)
    application = review.application
    return [_for_members(application, event, date=_iso(application.corrections_deadline))]


def _certificate_change(event: str, change_id: int) -> list[Entry]:
    change = CertificateStatusChange.objects.select_related("certificate").get(pk=change_id)
    return [_for_certificate(change.certificate, event, change.correction_until)]


def _reconsideration(event: str, request_id: int) -> list[Entry]:
    request = ReconsiderationRequest.objects.select_related("application__organization").get(
        pk=request_id
    )
    entries = [_for_members(request.application, event)]
    if event == events.RECONSIDERATION_FILED:
        entries.append(_for_officers(request.application, "reconsideration_filed_staff"))
    return entries


def _jurors_assigned(application_id: int, assignment_ids: list[int]) -> list[Entry]:
    days = SchemeRules.current().scoring_days
    assignments = JurorAssignment.objects.filter(pk__in=assignment_ids).select_related(
        "juror", "application__organization"
    )
    return [
        (
            [a.juror] if a.juror.is_active else [],
            events.JURORS_ASSIGNED,
            _app_params(a.application, date=scoring_due(a, days=days).isoformat()),
            reverse("staff_inbox"),
        )
        for a in assignments.order_by("pk")
    ]


def _session(event: str, session_id: int) -> list[Entry]:
    session = JurySession.objects.get(pk=session_id)
    params = {"session": session.number, "date": timezone.localdate(session.starts_at).isoformat()}
    jurors = active_jurors().filter(user__is_active=True)
    if event == events.SESSION_DUE:
        chairs = [m.user for m in jurors.filter(is_chair=True).order_by("pk")]
        return [(chairs, event, params, reverse("staff_session", args=[session.pk]))]
    return [([m.user for m in jurors.order_by("user_id")], event, params, reverse("my_sessions"))]


def _entries(event: str, data: dict) -> list[Entry]:  # noqa: C901 (one branch per event)
    if event == events.APPLICATION_SUBMITTED:
        return [_for_members(_application(data["application_id"]), event)]
    if event == events.CORRECTIONS_RECEIVED:
        application = _application(data["application_id"])
        return [
            _for_members(application, event),
            _for_officers(application, "corrections_received_staff"),
        ]
    if event == events.CORRECTIONS_DEADLINE_NEAR:
        return [_for_members(_application(data["application_id"]), event, date=data["deadline"])]
    if event == events.CORRECTIONS_DEADLINE_EXTENDED:
        application = _application(data["application_id"])
        return [_for_members(application, event, date=_iso(application.corrections_deadline))]
    if event == events.DECISION_TARGET_PASSED:
        return [_for_officers(_application(data["application_id"]), event)]
    if event in (
        events.RETURNED_FOR_CORRECTIONS,
        events.FORMALLY_ACCEPTED,
        events.FORMALLY_REJECTED,
    ):
        return _review_entries(event, data["review_id"])
    if event == events.JURY_DECISION:
        resolution = Resolution.objects.select_related("application__organization")
        return [_for_members(resolution.get(pk=data["resolution_id"]).application, event)]
    if event in (events.CERTIFICATE_ISSUED, events.CERTIFICATE_ITEMS_ADDED):
        return [_for_certificate(Certificate.objects.get(pk=data["certificate_id"]), event)]
    if event == events.CERTIFICATE_VERSION_ISSUED:
        version = CertificateVersion.objects.select_related("certificate").get(
            pk=data["version_id"]
        )
        return [_for_certificate(version.certificate, event)]
    if event == events.RENEWAL_REMINDER_DUE:
        certificate = Certificate.objects.get(pk=data["certificate_id"])
        return [_for_certificate(certificate, event, certificate.valid_until)]
    if event in (
        events.CERTIFICATE_SUSPENDED,
        events.CERTIFICATE_REINSTATED,
        events.CERTIFICATE_REVOKED,
        events.CERTIFICATE_EXPIRED,
    ):
        return _certificate_change(event, data["change_id"])
    if event == events.ORGANIZATION_CHANGE_DECIDED:
        change = OrganizationChangeRequest.objects.select_related("organization").get(
            pk=data["change_request_id"]
        )
        link = reverse("organization_edit", args=[change.organization_id])
        params = {"organization": change.organization.name}
        return [(_members(change.organization_id), event, params, link)]
    if event == events.LOCATION_DECIDED:
        proposal = LocationProposal.objects.select_related("organization").get(
            pk=data["proposal_id"]
        )
        link = reverse("organization_location", args=[proposal.organization_id])
        params = {"organization": proposal.organization.name}
        return [(_members(proposal.organization_id), event, params, link)]
    if event in (events.RECONSIDERATION_FILED, events.RECONSIDERATION_DECIDED):
        return _reconsideration(event, data["request_id"])
    if event == events.JURORS_ASSIGNED:
        return _jurors_assigned(data["application_id"], data["assignment_ids"])
    if event == events.SCORING_OVERDUE:
        assignment = JurorAssignment.objects.select_related("juror", "application__organization")
        a = assignment.get(pk=data["assignment_id"])
        params = _app_params(a.application, date=scoring_due(a).isoformat())
        return [([a.juror] if a.juror.is_active else [], event, params, reverse("staff_inbox"))]
    if event in (events.SESSION_DUE, events.SESSION_AGENDA_SENT):
        return _session(event, data["session_id"])
    # An invitation (its link holds a secret), a session closed, a buyer's subscription (no
    # account): no notification.
    return []


def record(event: str, **data) -> list[str]:
    """Leave each recipient of `event` their notification; the addresses whose e-mail of it waits
    for their daily digest (not urgent, and they asked for a digest)."""
    rows, digest_addresses = [], []
    for recipients, kind, params, link in _entries(event, data):
        in_digest_possible = kind not in URGENT
        for user in recipients:
            in_digest = in_digest_possible and user.notification_mode == NotificationMode.DIGEST
            if in_digest and user.email:
                digest_addresses.append(user.email.strip().lower())
            rows.append(
                Notification(
                    recipient=user, kind=kind, params=params, link=link, in_digest=in_digest
                )
            )
    Notification.objects.bulk_create(rows)
    return sorted(set(digest_addresses))


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: User, notification_id: int) -> Notification:
    """The user's own notification, marked read (the first time); DoesNotExist for another's."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(
            pk=notification_id, recipient=user
        )
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: User) -> int:
    """Every unread notification of the user marked read now; how many."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def set_mode(*, user: User, mode: str) -> User:
    """How the user is e-mailed of what is not urgent; audited. Notifications already waiting
    for a digest still go in it."""
    mode = NotificationMode(mode)  # ValueError for anything else
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.notification_mode != mode:
            previous = locked.notification_mode
            locked.notification_mode = mode
            locked.save(update_fields=["notification_mode"])
            audit.record(
                actor=user,
                action="account.notification_mode",
                from_state=previous,
                to_state=mode,
                user=locked.pk,
            )
    user.notification_mode = mode
    return locked
