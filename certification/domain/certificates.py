import datetime
import hashlib
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus, VerificationResult
from ..models import Application, Certificate, SchemeRules
from . import audit
from .errors import DomainError

NUMBER_RE = re.compile(r"^ZP[/-](\d{4})[/-](\d{4,6})$", re.IGNORECASE)


def number_to_slug(number: str) -> str:
    return number.replace("/", "-")


def parse_number(text: str) -> str | None:
    """Accept ZP/2026/0007, zp-2026-0007 or with spaces; None if it cannot be a number."""
    match = NUMBER_RE.match(re.sub(r"\s", "", text or "")[:30])
    if not match:
        return None
    return f"ZP/{match[1]}/{int(match[2]):04d}"


def _next_sequence(year: int) -> int:
    # The scheme-rules row is the lock that makes numbering gap-free under concurrency.
    SchemeRules.objects.select_for_update().get_or_create(pk=1)
    last = Certificate.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0
    return last + 1


@transaction.atomic
def issue_certificate(*, application: Application, officer) -> Certificate:
    """Number the certificate for the granted items. The PDF is attached by `attach_pdf`."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if Certificate.objects.filter(application=locked).exists():
        raise DomainError(_("A certificate has already been issued for this application."))
    if locked.status != ApplicationStatus.GRANTED:
        raise DomainError(_("The jury has not granted the mark to this application."))
    today = timezone.localdate()
    sequence = _next_sequence(today.year)
    validity = SchemeRules.current().certificate_validity_days
    certificate = Certificate.objects.create(
        number=f"ZP/{today.year}/{sequence:04d}",
        year=today.year,
        sequence=sequence,
        organization=locked.organization,
        application=locked,
        issued_on=today,
        valid_until=today + datetime.timedelta(days=validity - 1),
        issued_by=officer,
    )
    certificate.items.set(locked.resolution.granted_items.all())
    audit.record(
        actor=officer,
        action="certificate.issued",
        application=locked,
        certificate=certificate,
        to_state=certificate.status,
        message=certificate.number,
    )
    audit.change_status(
        application=locked,
        actor=officer,
        action="application.certified",
        to_state=ApplicationStatus.CERTIFIED,
        message=certificate.number,
    )
    return certificate


@transaction.atomic
def attach_pdf(*, certificate: Certificate, pdf: bytes) -> Certificate:
    certificate.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.pdf.save(f"{number_to_slug(certificate.number)}.pdf", ContentFile(pdf), save=False)
    certificate.save(update_fields=["pdf", "pdf_sha256"])
    return certificate


@dataclass(frozen=True)
class Verification:
    query: str
    result: str
    certificate: Certificate | None
    on_date: datetime.date


def verify(*, number_text: str, on_date: datetime.date | None = None) -> Verification:
    """What a buyer learns from a certificate number. Never raises for bad input."""
    on_date = on_date or timezone.localdate()
    number = parse_number(number_text)
    certificate = None
    if number:
        certificate = (
            Certificate.objects.select_related("organization")
            .prefetch_related("items")
            .filter(number=number)
            .first()
        )
    if certificate is None:
        return Verification(number_text, VerificationResult.UNKNOWN, certificate, on_date)
    return Verification(number_text, certificate.status_on(on_date), certificate, on_date)
