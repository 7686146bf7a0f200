"""The certificate's life after issue: one funnel function per transition, and their table.

    valid ──suspend──▶ suspended ──reinstate──▶ valid
      │                    │
      └──revoke──▶ revoked ◀──revoke──┘
    valid or suspended ──expire (past valid_until)──▶ expired

Revoked and expired are final: the certificate stays in the registry with that status. Every
transition locks the certificate row, checks the table, and writes the status history and the
audit log in one transaction.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import CertificateStatus, CertificateTransition
from ..models import Certificate, CertificateStatusChange
from ..permissions import is_officer
from . import audit, status_lists
from .errors import DomainError


def status_condition(status: str, day: datetime.date) -> Q:
    """Certificates whose status on `day` is `status`, as a query: Certificate.status_on's rule.

    Expiry is a matter of date: a valid or suspended certificate past its date counts as
    expired; a revoked one stays revoked.
    """
    if status == CertificateStatus.EXPIRED:
        return Q(
            status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED],
            valid_until__lt=day,
        ) | Q(status=CertificateStatus.EXPIRED)
    if status in (CertificateStatus.VALID, CertificateStatus.SUSPENDED):
        return Q(status=status, valid_until__gte=day)
    return Q(status=status)


VALID = CertificateStatus.VALID
SUSPENDED = CertificateStatus.SUSPENDED
REVOKED = CertificateStatus.REVOKED
EXPIRED = CertificateStatus.EXPIRED

# A reason longer than this is a paste gone wrong; the registry shows it in full.
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str
    audit_action: str


TRANSITIONS: dict[str, Rule] = {
    CertificateTransition.SUSPEND: Rule(frozenset({VALID}), SUSPENDED, "certificate.suspended"),
    CertificateTransition.REINSTATE: Rule(frozenset({SUSPENDED}), VALID, "certificate.reinstated"),
    CertificateTransition.REVOKE: Rule(
        frozenset({VALID, SUSPENDED}), REVOKED, "certificate.revoked"
    ),
    CertificateTransition.EXPIRE: Rule(
        frozenset({VALID, SUSPENDED}), EXPIRED, "certificate.expired"
    ),
}

# What the organisation is told of each transition (certification/notifications_lifecycle.py).
TRANSITION_EVENTS = {
    CertificateTransition.SUSPEND: events.CERTIFICATE_SUSPENDED,
    CertificateTransition.REINSTATE: events.CERTIFICATE_REINSTATED,
    CertificateTransition.REVOKE: events.CERTIFICATE_REVOKED,
    CertificateTransition.EXPIRE: events.CERTIFICATE_EXPIRED,
}

# Transitions an officer takes by hand; expiry is the daily command's.
OFFICER_TRANSITIONS = (
    CertificateTransition.SUSPEND,
    CertificateTransition.REINSTATE,
    CertificateTransition.REVOKE,
)


def _forbidden(transition: str, certificate: Certificate) -> DomainError:
    messages = {
        CertificateTransition.SUSPEND: _(
            "Only a valid certificate can be suspended; certificate %(number)s is %(status)s."
        ),
        CertificateTransition.REINSTATE: _(
            "Only a suspended certificate can be reinstated; certificate %(number)s is %(status)s."
        ),
        CertificateTransition.REVOKE: _(
            "Only a valid or suspended certificate can be revoked; certificate %(number)s is "
            "%(status)s."
        ),
        CertificateTransition.EXPIRE: _(
            "Only a valid or suspended certificate can expire; certificate %(number)s is "
            "%(status)s."
        ),
    }
    return DomainError(
        messages[transition]
        % {"number": certificate.number, "status": certificate.get_status_display().lower()}
    )


def allowed_transitions(certificate: Certificate, *, today: datetime.date | None = None):
    """The officer's transitions the table allows now (what the certificate page offers)."""
    today = today or timezone.localdate()
    if today > certificate.valid_until:
        return []
    return [t for t in OFFICER_TRANSITIONS if certificate.status in TRANSITIONS[t].sources]


def record_change(
    *,
    certificate: Certificate,
    transition: str,
    actor,
    effective: datetime.datetime,
    reason: str = "",
    correction_until: datetime.date | None = None,
) -> CertificateStatusChange:
    """Append one entry to the status history. Callers hold the certificate's row lock."""
    change = CertificateStatusChange.objects.create(
        certificate=certificate,
        transition=transition,
        status=certificate.status,
        effective=effective,
        reason=reason,
        correction_until=correction_until,
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
    events.announce(events.REGISTRY_CHANGED, change_id=change.pk)
    return change


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise DomainError(
            _("Give the reason. It is shown publicly in the registry."), field="reason"
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("Keep the reason to at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


def _check_officer(user) -> None:
    if user is None or not is_officer(user):
        raise DomainError(_("Only a ROPS officer can change the status of a certificate."))


def _apply(
    *,
    certificate: Certificate,
    transition: str,
    actor,
    today: datetime.date,
    effective: datetime.datetime | None = None,
    reason: str = "",
    correction_until: datetime.date | None = None,
) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    # Read the clock only under the lock, so the history's order is the order of the changes.
    effective = effective or timezone.now()
    rule = TRANSITIONS[transition]
    if locked.status not in rule.sources:
        raise _forbidden(transition, locked)
    if transition == CertificateTransition.EXPIRE:
        if today <= locked.valid_until:
            raise DomainError(
                _("Certificate %(number)s is valid until %(date)s; it cannot expire earlier.")
                % {"number": locked.number, "date": locked.valid_until.isoformat()}
            )
    elif today > locked.valid_until:
        raise DomainError(
            _(
                "Certificate %(number)s expired on %(date)s; an expired certificate can no "
                "longer be suspended, reinstated or revoked."
            )
            % {"number": locked.number, "date": locked.valid_until.isoformat()}
        )
    from_state = locked.status
    locked.status = rule.target
    locked.status_reason = reason
    locked.save(update_fields=["status", "status_reason"])
    # In this transaction: the credential status lists show the change once it commits.
    status_lists.status_changed(certificate=locked, when=timezone.now())
    change = record_change(
        certificate=locked,
        transition=transition,
        actor=actor,
        effective=effective,
        reason=reason,
        correction_until=correction_until,
    )
    events.announce(TRANSITION_EVENTS[transition], change_id=change.pk)
    details = {"correction_until": correction_until.isoformat()} if correction_until else {}
    audit.record(
        actor=actor,
        action=rule.audit_action,
        certificate=locked,
        from_state=from_state,
        to_state=locked.status,
        message=reason,
        **details,
    )
    return locked


def correction_period_problem(
    correction_until: datetime.date | None, *, today: datetime.date
) -> DomainError | None:
    """What is wrong with the end of a suspension's correction period (forms ask it too, so the
    officer hears it with the other fields' errors, not on a second sending)."""
    if correction_until is None or correction_until <= today:
        return DomainError(
            _("The correction period must end after today."), field="correction_until"
        )
    return None


@transaction.atomic
def suspend_certificate(
    *, certificate: Certificate, user, reason: str, correction_until: datetime.date
) -> Certificate:
    """Valid → suspended: the organisation gets until `correction_until` to put things right."""
    _check_officer(user)
    reason = _clean_reason(reason, required=True)
    today = timezone.localdate()
    problem = correction_period_problem(correction_until, today=today)
    if problem:
        raise problem
    return _apply(
        certificate=certificate,
        transition=CertificateTransition.SUSPEND,
        actor=user,
        today=today,
        reason=reason,
        correction_until=correction_until,
    )


@transaction.atomic
def reinstate_certificate(*, certificate: Certificate, user, note: str = "") -> Certificate:
    """Suspended → valid again, until the same expiry date."""
    _check_officer(user)
    return _apply(
        certificate=certificate,
        transition=CertificateTransition.REINSTATE,
        actor=user,
        today=timezone.localdate(),
        reason=_clean_reason(note, required=False),
    )


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, user, reason: str) -> Certificate:
    """Valid or suspended → revoked, for good. The reason is shown publicly."""
    _check_officer(user)
    return _apply(
        certificate=certificate,
        transition=CertificateTransition.REVOKE,
        actor=user,
        today=timezone.localdate(),
        reason=_clean_reason(reason, required=True),
    )


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def expire_certificate(*, certificate: Certificate, today: datetime.date) -> Certificate:
    """Valid or suspended → expired, by the daily command (no user: the date decides).

    The history dates the expiry at the start of the day after `valid_until`, whenever the
    command gets to it, so "was it valid on D?" never depends on when the command ran.
    """
    day_after = certificate.valid_until + datetime.timedelta(days=1)
    return _apply(
        certificate=certificate,
        transition=CertificateTransition.EXPIRE,
        actor=None,
        today=today,
        effective=start_of_day(day_after),
    )
