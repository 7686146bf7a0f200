"""Verification by NIP: every certificate an organisation holds or held, and its status on a day.

A buyer often has only the supplier's NIP (from the offer or the invoice), not a certificate
number. The answer names the organisation only when it holds or held a certificate: the registry
is public, an organisation's mere account on this service is not.

A certificate is found by the NIP it was issued to (Certificate.holder_nip), and also by its
holder's NIP today when an officer approved a change of it: a supplier whose NIP changed still
shows the certificates ROPS agreed are its own, each stating the identity it was issued to. A
member's unapproved edit cannot move a certificate to another NIP.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import VerificationResult
from ..models import Certificate, CertificateStatusChange, Identity
from ..validators import validate_nip
from .cpv_lists import items_with_codes
from .errors import DomainError

# Anything longer is a paste of something else; it is never run through a regex in full.
NIP_MAX_LENGTH = 30
# A NIP as people copy it from an offer or an invoice: "NIP:" before it, "PL" as in the EU VAT
# number, digits grouped by spaces or dashes (the separators are gone before this is matched).
_NIP_RE = re.compile(r"^(?:NIP:?)?(?:PL)?(\d{10})$", re.IGNORECASE)


class NipError(DomainError):
    """A NIP that cannot be looked up; `code` says why, for programs (the API)."""

    def __init__(self, message, *, code: str):
        super().__init__(message, field="nip")
        self.code = code


def nip_digits(text: str) -> str | None:
    """The ten digits of what looks like a NIP (checksum not checked), or None."""
    if len(text or "") > NIP_MAX_LENGTH:
        return None
    compact = re.sub(r"[\s-]", "", text or "")
    match = _NIP_RE.match(compact)
    return match[1] if match else None


def parse_nip(text: str) -> str:
    """The NIP's ten digits; NipError unless it has ten digits and a matching check digit."""
    digits = nip_digits(text)
    if digits is None:
        raise NipError(
            _("A NIP has exactly 10 digits (dashes and spaces are allowed)."), code="not_a_nip"
        )
    try:
        validate_nip(digits)
    except ValidationError as error:
        # The project's validator says which part is wrong; its words are the message.
        raise NipError(error.messages[0], code="nip_checksum") from None
    return digits


@dataclass(frozen=True)
class Held:
    """One certificate of the organisation and what a buyer asking about `on_date` is told."""

    certificate: Certificate
    status: VerificationResult  # on the day asked about
    in_force: CertificateStatusChange | None  # the history entry in force that day, if any

    @property
    def reason(self) -> str:
        """The public reason of a suspension or revocation in force that day."""
        if self.status not in (VerificationResult.SUSPENDED, VerificationResult.REVOKED):
            return ""
        if self.in_force is not None:
            return self.in_force.reason
        # Issued before the history was kept: the stored reason is the only one known.
        return self.certificate.status_reason if self.status == self.certificate.status else ""

    @property
    def correction_until(self) -> datetime.date | None:
        if self.status != VerificationResult.SUSPENDED or self.in_force is None:
            return None
        return self.in_force.correction_until


@dataclass(frozen=True)
class NipVerification:
    nip: str  # ten digits
    on_date: datetime.date
    # Whom the NIP names: the newest certificate issued to it, or, found only by the holder's
    # NIP today, the holder as it is today. None when no certificate was found.
    organization: Identity | None
    held: list[Held]  # valid ones first, then the newest first

    @property
    def asked_about_past(self) -> bool:
        return self.on_date < timezone.localdate()

    @property
    def valid(self) -> list[Held]:
        return [h for h in self.held if h.status == VerificationResult.VALID]


def _order(held: Held) -> tuple:
    # Valid first; a certificate issued after the day asked about says least about that day.
    return (
        held.status != VerificationResult.VALID,
        held.status == VerificationResult.NOT_YET_VALID,
        -held.certificate.issued_on.toordinal(),
        -held.certificate.year,
        -held.certificate.sequence,
    )


def verify_by_nip(*, nip_text: str, on_date: datetime.date | None = None) -> NipVerification:
    """What a buyer learns from a NIP, today or on a past day. NipError if it is not a NIP."""
    on_date = on_date or timezone.localdate()
    if on_date > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="date")
    nip = parse_nip(nip_text)
    certificates = list(
        Certificate.objects.filter(Q(holder_nip=nip) | Q(organization__nip=nip))
        .select_related("organization")
        # The history is prefetched: status_on and status_change_on then read it from memory.
        .prefetch_related(Prefetch("items", queryset=items_with_codes()), "status_changes")
    )
    held = [
        Held(
            certificate=c,
            status=VerificationResult(c.status_on(on_date)),
            in_force=c.status_change_on(on_date) if on_date >= c.issued_on else None,
        )
        for c in certificates
    ]
    return NipVerification(nip, on_date, _named(nip, certificates), sorted(held, key=_order))


def _named(nip: str, certificates: list[Certificate]) -> Identity | None:
    issued_to_nip = [c for c in certificates if c.holder_nip == nip]
    if issued_to_nip:
        newest = max(issued_to_nip, key=lambda c: (c.issued_on, c.year, c.sequence))
        return newest.holder
    return certificates[0].organization.identity if certificates else None
