import datetime
import hashlib
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import (
    ApplicationStatus,
    CertificateStatus,
    CertificateTransition,
    VerificationResult,
    VersionChange,
)
from ..models import (
    Application,
    ApplicationItem,
    Certificate,
    CertificateStatusChange,
    CertificateVersion,
    Organization,
    SchemeRules,
)
from ..storage import discard, store
from . import audit, decision, lifecycle, search, status_lists, versions
from .cpv_lists import items_with_codes
from .errors import DomainError

NUMBER_RE = re.compile(r"^ZP[/-](\d{4})[/-](\d{4,6})$", re.IGNORECASE)


def number_to_slug(number: str) -> str:
    return number.replace("/", "-")


def format_number(year: int, sequence: int) -> str:
    """The certificate number as registered and printed: ZP/2026/0007."""
    return f"ZP/{year}/{sequence:04d}"


def parse_number(text: str) -> str | None:
    """Accept ZP/2026/0007, zp-2026-0007 or with spaces; None if it cannot be a number."""
    match = NUMBER_RE.match(re.sub(r"\s", "", text or "")[:30])
    if not match:
        return None
    return format_number(int(match[1]), int(match[2]))


def _next_sequence(year: int) -> int:
    # The scheme-rules row is the lock that makes numbering gap-free under concurrency.
    SchemeRules.objects.select_for_update().get_or_create(pk=1)
    last = Certificate.objects.filter(year=year).aggregate(m=Max("sequence"))["m"] or 0
    return last + 1


def validity_if_issued(on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of a certificate issued on `on`, by the scheme's rules: what the
    issue page shows before the officer confirms, and what issuing then gives."""
    validity = SchemeRules.current().certificate_validity_days
    return on, on + datetime.timedelta(days=validity - 1)


@transaction.atomic
def issue_certificate(*, application: Application, officer) -> Certificate:
    """Number the certificate for the granted items: valid at once. Its PDF is made by a job
    (announced with the issue) and attached by `attach_pdf`, outside the numbering lock."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if Certificate.objects.filter(application=locked).exists():
        raise DomainError(_("A certificate has already been issued for this application."))
    if locked.status != ApplicationStatus.GRANTED:
        raise DomainError(_("The jury has not granted the mark to this application."))
    # Locked: an officer's approval of a change to its details cannot land halfway through.
    holder = Organization.objects.select_for_update().get(pk=locked.organization_id)
    today = timezone.localdate()
    sequence = _next_sequence(today.year)
    status_list_index = status_lists.next_index()  # under the same lock as the number
    status_lists.ensure_list(index=status_list_index, when=timezone.now())
    _first_day, last_day = validity_if_issued(today)
    certificate = Certificate.objects.create(
        number=format_number(today.year, sequence),
        year=today.year,
        sequence=sequence,
        organization=holder,
        **Certificate.holder_fields(holder),
        application=locked,
        issued_on=today,
        valid_until=last_day,
        issued_by=officer,
        predecessor=locked.renewal_of,
        status_list_index=status_list_index,
    )
    granted = list(decision.in_force(locked).granted_items())
    certificate.items.set(granted)
    versions.record_version(
        certificate=certificate, change=VersionChange.ISSUE, items=granted, actor=officer
    )
    search.refresh(certificates=[certificate])
    lifecycle.record_change(
        certificate=certificate,
        transition=CertificateTransition.ISSUE,
        actor=officer,
        effective=timezone.now(),
    )
    audit.record(
        actor=officer,
        action="certificate.issued",
        application=locked,
        certificate=certificate,
        to_state=certificate.status,
        message=certificate.number,
    )
    if certificate.predecessor is not None:
        audit.record(
            actor=officer,
            action="certificate.renewed",
            certificate=certificate.predecessor,
            message=certificate.number,
            successor=certificate.pk,
        )
    audit.change_status(
        application=locked,
        actor=officer,
        action="application.certified",
        to_state=ApplicationStatus.CERTIFIED,
        message=certificate.number,
    )
    events.announce(events.CERTIFICATE_ISSUED, certificate_id=certificate.pk)
    return certificate


@transaction.atomic
def add_granted_items(*, application: Application) -> list:
    """After a final resolution granted more of a partly certified application: its
    certificate covers the newly granted items too, until the same date. The system does this
    on the jury's decision (no person acts); the certificate is printed again by a job.

    Items the final resolution no longer grants are not taken off here: withdrawing what a
    certificate covers is a sanction of its own (lifecycle.py). Returns the items added.
    """
    locked = Application.objects.select_for_update().get(pk=application.pk)
    # An extension application adds to the certificate it names; any other to its own.
    certificate = Certificate.objects.select_for_update().get(
        **({"pk": locked.extension_of_id} if locked.extension_of_id else {"application": locked})
    )
    resolution = decision.in_force(locked)
    if resolution is None or not resolution.is_final:
        raise DomainError(_("Only a final resolution on reconsideration adds items."))
    covered = list(certificate.items.all())
    added = [item for item in resolution.granted_items() if item not in covered]
    if not added:
        return []
    # A new version: the PDF of the one before stays with it; the new one is printed by a job.
    versions.record_version(
        certificate=certificate,
        change=VersionChange.ADD,
        items=covered + added,
        application=locked,
    )
    audit.record(
        actor=None,
        action="certificate.items_added",
        application=locked,
        certificate=certificate,
        message=", ".join(item.name for item in added),
        resolution=resolution.number,
        items=[item.pk for item in added],
    )
    events.announce(events.CERTIFICATE_ITEMS_ADDED, certificate_id=certificate.pk)
    return added


@transaction.atomic
def attach_pdf(*, certificate: Certificate, pdf: bytes) -> Certificate:
    """Store the certificate's PDF (made by a job after the issue); once only.

    Raises StorageFailure when the store is down: the job tries again later. The certificate is
    valid and verifiable meanwhile; only its PDF waits.
    """
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.pdf:  # a second run of the job (or a second worker) finds it done
        return locked
    # Each version has a PDF of its own, kept: v2 onwards under a name of their own.
    current = locked.versions.aggregate(m=Max("number"))["m"] or 1
    suffix = f"-v{current}" if current > 1 else ""
    store(locked.pdf, f"{number_to_slug(locked.number)}{suffix}.pdf", ContentFile(pdf))
    try:
        locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256"])
        versions.attach_version_pdf(certificate=locked)
    except BaseException:
        discard(locked.pdf.storage, locked.pdf.name)  # no row refers to it
        raise
    return locked


@dataclass(frozen=True)
class Verification:
    query: str
    result: str
    certificate: Certificate | None
    on_date: datetime.date
    # The history entry in force on `on_date` (its public reason, correction period), if any.
    in_force: CertificateStatusChange | None = None
    # The version in force on `on_date` and the products and services it covered then.
    version: CertificateVersion | None = None
    items: tuple[ApplicationItem, ...] = ()

    @property
    def asked_about_past(self) -> bool:
        return self.on_date < timezone.localdate()


def verify(*, number_text: str, on_date: datetime.date | None = None) -> Verification:
    """What a buyer learns from a certificate number, today or on a past day. Never raises."""
    today = timezone.localdate()
    on_date = on_date or today
    number = parse_number(number_text)
    certificate = None
    if number:
        found = Certificate.objects.select_related("organization").prefetch_related(
            Prefetch("items", queryset=items_with_codes())
        )
        if on_date < today:  # the status then comes from the history: one query for both uses
            found = found.prefetch_related("status_changes")
        # No ordering: the number is unique, and the model's default order costs time here.
        certificate = next(iter(found.filter(number=number).order_by()[:1]), None)
    if certificate is None:
        return Verification(number_text, VerificationResult.UNKNOWN, certificate, on_date)
    # Today's entry in force matters only for the reason and correction period of a sanction:
    # most answers (valid, expired) need no history query.
    sanctioned = certificate.status in (CertificateStatus.SUSPENDED, CertificateStatus.REVOKED)
    in_force = None
    if on_date >= certificate.issued_on and (on_date < today or sanctioned):
        in_force = certificate.status_change_on(on_date)
    version = versions.version_on(certificate, on_date)
    if on_date < certificate.issued_on:
        items = ()
    elif version is None or on_date >= today:  # today's (or no versions): the certificate's own
        items = tuple(certificate.items.all())
    else:
        items = tuple(items_with_codes().filter(pk__in=version.items.values("pk")))
    return Verification(
        number_text,
        certificate.status_on(on_date),
        certificate,
        on_date,
        in_force,
        version,
        items,
    )


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a certificate's public history."""

    when: datetime.datetime
    transition: str  # a CertificateTransition value, or "renewed" / "renews"
    label: str
    reason: str = ""
    correction_until: datetime.date | None = None
    other: Certificate | None = None  # the predecessor or successor it links to


def public_history(certificate: Certificate) -> list[HistoryEntry]:
    """Issued, suspended, reinstated, revoked, expired and renewals, oldest first."""
    entries = [
        HistoryEntry(
            when=change.effective,
            transition=change.transition,
            label=change.get_transition_display(),
            reason=change.reason,
            correction_until=change.correction_until,
        )
        for change in certificate.status_changes.all()
    ]
    if not any(e.transition == CertificateTransition.ISSUE for e in entries):
        # Issued before the history was kept: the issue date is still known.
        entries.append(
            HistoryEntry(
                when=lifecycle.start_of_day(certificate.issued_on),
                transition=CertificateTransition.ISSUE,
                label=CertificateTransition.ISSUE.label,
            )
        )
    expired = certificate.status_on(timezone.localdate()) == VerificationResult.EXPIRED
    if expired and not any(e.transition == CertificateTransition.EXPIRE for e in entries):
        # Expiry is a matter of date; the daily command may not have recorded it yet.
        entries.append(
            HistoryEntry(
                when=lifecycle.start_of_day(certificate.valid_until + datetime.timedelta(days=1)),
                transition=CertificateTransition.EXPIRE,
                label=CertificateTransition.EXPIRE.label,
            )
        )
    if certificate.predecessor is not None:
        entries.append(
            HistoryEntry(
                when=_issued_at(certificate),
                transition="renews",
                label=_("Issued as the renewal of an earlier certificate"),
                other=certificate.predecessor,
            )
        )
    for successor in certificate.successors.all():
        entries.append(
            HistoryEntry(
                when=_issued_at(successor),
                transition="renewed",
                label=_("Renewed by a new certificate"),
                other=successor,
            )
        )
    return sorted(entries, key=lambda e: e.when)


def _issued_at(certificate: Certificate) -> datetime.datetime:
    for change in certificate.status_changes.all():
        if change.transition == CertificateTransition.ISSUE:
            return change.effective
    return lifecycle.start_of_day(certificate.issued_on)
