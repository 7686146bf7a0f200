"""Renewal: a new application that continues a certificate, and the reminders that prompt it."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import ApplicationStatus, CertificateStatus
from ..models import Application, ApplicationItem, Certificate, ItemCpvCode, RenewalReminder
from . import addressees, applications, audit
from .errors import DomainError

# How long after expiry the organisation may still apply for a renewal rather than anew.
RENEWAL_GRACE_DAYS = 90

# Reminders go out this many days before expiry, largest first.
REMINDER_DAYS = (60, 30, 7)

# A renewal application in one of these states no longer stands in the way of another.
_DEAD_ENDS = {ApplicationStatus.REFUSED, ApplicationStatus.REJECTED}


def renewal_problem(certificate: Certificate, *, today: datetime.date) -> str | None:
    """Why the certificate cannot be renewed now, or None if it can."""
    if certificate.status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED):
        return _("A suspended or revoked certificate cannot be renewed.")
    if today > certificate.valid_until + datetime.timedelta(days=RENEWAL_GRACE_DAYS):
        return _(
            "Certificate %(number)s expired more than %(days)d days ago; apply for a new "
            "certificate instead."
        ) % {"number": certificate.number, "days": RENEWAL_GRACE_DAYS}
    if certificate.successors.exists():
        return _("Certificate %(number)s has already been renewed.") % {
            "number": certificate.number
        }
    pending = certificate.renewal_applications.exclude(status__in=_DEAD_ENDS).first()
    if pending is not None:
        return _("A renewal application for certificate %(number)s already exists (%(app)s).") % {
            "number": certificate.number,
            "app": pending,
        }
    return None


@transaction.atomic
def start_renewal(*, certificate: Certificate, user) -> Application:
    """A draft application continuing the certificate, pre-filled from the previous one.

    The questionnaire and the certified products and services are copied; documents are not
    (a renewal needs current ones).
    """
    locked = _locked_for_member(certificate, user)
    problem = renewal_problem(locked, today=timezone.localdate())
    if problem:
        raise DomainError(problem)
    return _copy_into_draft(locked, user)


def _locked_for_member(certificate: Certificate, user) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not locked.organization.members.filter(pk=user.pk).exists():
        raise DomainError(_("Only a member of the organisation can renew its certificate."))
    return locked


def _copy_into_draft(locked: Certificate, user) -> Application:
    """The draft continuing a certificate whose renewal was checked, under its lock."""
    previous = locked.application
    draft = applications.create_application(organization=locked.organization, user=user)
    for name in applications.QUESTIONNAIRE_FIELDS:
        setattr(draft, name, getattr(previous, name))
    draft.renewal_of = locked
    draft.save(update_fields=[*applications.QUESTIONNAIRE_FIELDS, "renewal_of"])
    previous_items = list(locked.items.order_by("pk").prefetch_related("cpv_links"))
    items = ApplicationItem.objects.bulk_create(
        ApplicationItem(application=draft, name=i.name, kind=i.kind, description=i.description)
        for i in previous_items
    )
    # The codes too, unconfirmed: an officer confirms them again at the formal review.
    ItemCpvCode.objects.bulk_create(
        ItemCpvCode(item=item, cpv_id=link.cpv_id)
        for old, item in zip(previous_items, items, strict=True)
        for link in old.cpv_links.all()
    )
    audit.record(
        actor=user,
        action="certificate.renewal_started",
        certificate=locked,
        message=str(draft),
        application_pk=draft.pk,
    )
    return draft


# A member is offered the renewal from the first reminder on: earlier, the new certificate would
# mostly run alongside the old one. start_renewal itself sets no such start (ROPS may need one).
MEMBER_RENEWAL_OPENS_DAYS = max(REMINDER_DAYS)


def member_renewal_opens_on(certificate: Certificate) -> datetime.date:
    return certificate.valid_until - datetime.timedelta(days=MEMBER_RENEWAL_OPENS_DAYS)


def pending_renewal(certificate: Certificate) -> Application | None:
    """The renewal application of the certificate still under way, if any."""
    # A certified renewal is over: the certificate then has a successor, not a renewal pending.
    finished = _DEAD_ENDS | {ApplicationStatus.CERTIFIED}
    return certificate.renewal_applications.exclude(status__in=finished).order_by("-pk").first()


def renewable_by_members(*, certificates, today: datetime.date) -> set[int]:
    """The pks of those certificates a member may renew from their pages today.

    For lists: at most two queries however many certificates, none when no certificate is in
    its renewal window. The same rules as member_renewal_problem.
    """
    in_window = {
        c.pk: c
        for c in certificates
        if c is not None
        and member_renewal_opens_on(c) <= today
        and today <= c.valid_until + datetime.timedelta(days=RENEWAL_GRACE_DAYS)
        and c.status not in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)
    }
    if not in_window:
        return set()
    renewed = Certificate.objects.filter(predecessor__in=in_window).values_list("predecessor_id")
    pending = (
        Application.objects.filter(renewal_of__in=in_window)
        .exclude(status__in=_DEAD_ENDS)
        .values_list("renewal_of_id")
    )
    blocked = {pk for (pk,) in renewed} | {pk for (pk,) in pending}
    return set(in_window) - blocked


def member_renewal_problem(certificate: Certificate, *, today: datetime.date) -> str | None:
    """Why a member cannot renew the certificate from their pages now, or None if they can."""
    opens = member_renewal_opens_on(certificate)
    if today < opens:
        return _(
            "Certificate %(number)s can be renewed from %(date)s, %(days)d days before it expires."
        ) % {
            "number": certificate.number,
            "date": formats.date_format(opens, "j E Y"),
            "days": MEMBER_RENEWAL_OPENS_DAYS,
        }
    return renewal_problem(certificate, today=today)


@transaction.atomic
def start_renewal_as_member(*, certificate: Certificate, user) -> tuple[Application, bool]:
    """The renewal a member starts from their pages: (the draft, whether it is new).

    Asked twice (a double click, a second tab), the renewal already started by a member is
    returned rather than refused: the member lands on the same draft.
    """
    locked = _locked_for_member(certificate, user)
    pending = pending_renewal(locked)
    if pending is not None:
        return pending, False
    problem = member_renewal_problem(locked, today=timezone.localdate())
    if problem:
        raise DomainError(problem)
    return _copy_into_draft(locked, user), True


@dataclass(frozen=True)
class DueReminder:
    certificate: Certificate
    days_before: int
    days_left: int


def _threshold(days_left: int) -> int | None:
    """The smallest reminder threshold reached: a missed day catches up with one e-mail, not
    several."""
    reached = [d for d in REMINDER_DAYS if days_left <= d]
    return min(reached) if reached else None


def due_reminders(*, today: datetime.date) -> list[DueReminder]:
    """Valid certificates whose next reminder is due and not yet sent, nor being renewed."""
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    candidates = (
        Certificate.objects.filter(
            status=CertificateStatus.VALID, valid_until__gte=today, valid_until__lte=horizon
        )
        .exclude(successors__isnull=False)
        .select_related("organization")
        .prefetch_related("renewal_reminders", "renewal_applications")
        .order_by("valid_until", "pk")
    )
    due = []
    for certificate in candidates:
        days_left = (certificate.valid_until - today).days
        threshold = _threshold(days_left)
        sent = {r.days_before for r in certificate.renewal_reminders.all()}
        if threshold is None or threshold in sent:
            continue
        renewing = [
            a
            for a in certificate.renewal_applications.all()
            if a.status not in _DEAD_ENDS and a.status != ApplicationStatus.DRAFT
        ]
        if not renewing:
            due.append(DueReminder(certificate, threshold, days_left))
    return due


def reminder_recipients(certificate: Certificate) -> list[str]:
    """The organisation's contact e-mail and its active members' addresses, each once."""
    return addressees.recipients(certificate.organization)


@transaction.atomic
def claim_reminder(
    *, certificate: Certificate, days_before: int, today: datetime.date
) -> RenewalReminder | None:
    """Record this reminder and announce it (its e-mail is a job); None if it already was.

    A second run, even a concurrent one (which waits on the row lock), records and sends nothing.
    """
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.renewal_reminders.filter(days_before=days_before).exists():
        return None
    recipients = reminder_recipients(locked)
    reminder = RenewalReminder.objects.create(
        certificate=locked,
        days_before=days_before,
        sent_on=today,
        recipients=", ".join(recipients),
    )
    audit.record(
        actor=None,
        action="certificate.renewal_reminder",
        certificate=locked,
        message=reminder.recipients,
        days_before=days_before,
    )
    if recipients:
        events.announce(
            events.RENEWAL_REMINDER_DUE,
            certificate_id=locked.pk,
            days_left=(locked.valid_until - today).days,
            recipients=recipients,
        )
    return reminder
