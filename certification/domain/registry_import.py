"""Bringing in the certificates ROPS issued before the system (manage.py import_registry).

All or nothing: every row is checked first (registry_check.py), every problem is reported with
its row and column, and the database changes only if there is none, in one transaction.

Each row becomes what the registry, verification, the API and open data read for a certificate
issued here: its organisation (matched by NIP, or created from the row), a certified
application holding its products and services (with their CPV codes, confirmed), the
certificate itself marked `imported`, its place in the credential status lists, and its status
history (issued on the day its validity starts; then suspended or revoked on the day the file
gives, or expired the day after its validity ended). No PDF is made: the paper original stands,
and the public page says the certificate was imported. The audit log gets one event per
certificate (`certificate.imported`) and one for the whole import with its counts, written
through audit.record so the chain stays whole.
"""

import datetime
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from ..choices import ApplicationStatus, CertificateStatus, CertificateTransition, VersionChange
from ..models import (
    Application,
    ApplicationItem,
    Certificate,
    CertificateStatusChange,
    CertificateVersion,
    ItemCpvCode,
    Organization,
    SchemeRules,
    User,
)
from . import audit, locations, search, status_lists
from .lifecycle import start_of_day
from .registry_check import Planned, RowChecker, database_problems
from .registry_file import RegistryImportError, Row, read_file

# Sent in the import's transaction with the new certificates' keys: bulk inserts send no
# model signals, and what keeps rows derived from certificates (the ready verification
# answers) lives in a layer above the domain.
certificates_imported = Signal()

# Who issued and who filed what came from the old registry: an account nobody signs in with.
IMPORT_USERNAME = "rejestr-sprzed-systemu"
TRANSITIONS = {
    CertificateStatus.SUSPENDED: CertificateTransition.SUSPEND,
    CertificateStatus.REVOKED: CertificateTransition.REVOKE,
}


@dataclass(frozen=True)
class Outcome:
    rows: int
    organizations_created: int
    organizations_matched: int
    by_status: dict[str, int]
    dry_run: bool


def check_rows(rows: list[Row], *, today: datetime.date) -> tuple[list[Planned], list[str]]:
    """The rows as they would be saved, and every problem (empty when they can be imported).
    Reads the database: run it in the transaction that saves."""
    checker = RowChecker(today=today)
    planned, problems = [], []
    for row in rows:
        plan, row_problems = checker.check(row)
        problems += row_problems
        if plan is not None:
            planned.append(plan)
    problems += database_problems(planned)
    return planned, problems


def import_rows(rows: list[Row], *, source: str = "", dry_run: bool = False) -> Outcome:
    """Import checked rows in one transaction; raise RegistryImportError (changing nothing) if
    any row is wrong. `dry_run` checks everything, the database included, and changes nothing."""
    today = timezone.localdate()
    with transaction.atomic():
        # The numbering lock (certificates.issue_certificate takes it too): no certificate is
        # numbered while the old registry's numbers are going in.
        SchemeRules.objects.select_for_update().get_or_create(pk=1)
        planned, problems = check_rows(rows, today=today)
        if problems:
            raise RegistryImportError(problems)
        nips = {p.organization["nip"] for p in planned}
        existing = Organization.objects.in_bulk(nips, field_name="nip")
        by_status: dict[str, int] = {}
        for plan in planned:
            by_status[plan.status] = by_status.get(plan.status, 0) + 1
        outcome = Outcome(
            rows=len(planned),
            organizations_created=len(nips - set(existing)),
            organizations_matched=len(nips & set(existing)),
            by_status=by_status,
            dry_run=dry_run,
        )
        if not dry_run:
            _save(planned, existing, source=source)
            audit.record(
                actor=None,
                action="registry.imported",
                message=source,
                certificates=outcome.rows,
                organizations_created=outcome.organizations_created,
                organizations_matched=outcome.organizations_matched,
                by_status=by_status,
            )
    return outcome


def import_file(path: Path, *, dry_run: bool = False) -> Outcome:
    path = Path(path)
    rows = read_file(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return import_rows(rows, source=f"{path.name} (SHA-256 {digest})", dry_run=dry_run)


def _import_user() -> User:
    user, created = User.objects.get_or_create(
        username=IMPORT_USERNAME,
        defaults={"first_name": "Rejestr", "last_name": "sprzed systemu", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _organizations(planned: list[Planned], existing: dict) -> dict[str, Organization]:
    """Existing organisations by NIP, and new ones made from the first row naming each NIP."""
    first_start: dict[str, datetime.date] = {}
    rows_of: dict[str, Planned] = {}
    for plan in planned:
        nip = plan.organization["nip"]
        rows_of.setdefault(nip, plan)
        first_start[nip] = min(first_start.get(nip, plan.issued_on), plan.issued_on)
    new = [
        Organization(
            **plan.organization,
            # Not in the old registry unless given: the first certificate's issue is the
            # latest it can have been.
            registration_date=plan.registration_date or first_start[nip],
        )
        for nip, plan in rows_of.items()
        if nip not in existing
    ]
    for organization in new:
        locations.place(organization)
    Organization.objects.bulk_create(new)
    return existing | {o.nip: o for o in new}


def _save(planned: list[Planned], existing: dict, *, source: str) -> None:
    user = _import_user()
    organizations = _organizations(planned, existing)
    now = timezone.now()
    applications = Application.objects.bulk_create(
        Application(
            organization=organizations[plan.organization["nip"]],
            number=f"R/{plan.number}",
            status=ApplicationStatus.CERTIFIED,
            social_goals="",
            created_by=user,
        )
        for plan in planned
    )
    item_rows = [
        [
            ApplicationItem(application=application, name=name, kind=kind, description="")
            for kind, name, _codes in plan.items
        ]
        for plan, application in zip(planned, applications, strict=True)
    ]
    ApplicationItem.objects.bulk_create(item for items in item_rows for item in items)
    ItemCpvCode.objects.bulk_create(
        ItemCpvCode(item=item, cpv_id=code, confirmed_at=now)
        for plan, items in zip(planned, item_rows, strict=True)
        for item, (_kind, _name, codes) in zip(items, plan.items, strict=True)
        for code, _check in codes
    )
    indexes = itertools.count(status_lists.next_index())
    certificates = Certificate.objects.bulk_create(
        Certificate(
            number=plan.number,
            year=plan.year,
            sequence=plan.sequence,
            organization=organizations[plan.organization["nip"]],
            **Certificate.holder_fields(Organization(**plan.organization)),
            application=application,
            issued_on=plan.valid_from,
            valid_until=plan.valid_until,
            status=plan.status,
            status_reason=plan.status_reason if plan.status in TRANSITIONS else "",
            issued_by=user,
            status_list_index=next(indexes),
            imported=True,
        )
        for plan, application in zip(planned, applications, strict=True)
    )
    Through = Certificate.items.through
    Through.objects.bulk_create(
        Through(certificate_id=certificate.pk, applicationitem_id=item.pk)
        for certificate, items in zip(certificates, item_rows, strict=True)
        for item in items
    )
    # Version 1 of each, from its first day (domain/versions.py): what it covered, by date.
    versions = CertificateVersion.objects.bulk_create(
        CertificateVersion(
            certificate=certificate,
            number=1,
            change=VersionChange.ISSUE,
            effective=start_of_day(plan.valid_from),
            actor=user,
        )
        for plan, certificate in zip(planned, certificates, strict=True)
    )
    VersionItem = CertificateVersion.items.through
    VersionItem.objects.bulk_create(
        VersionItem(certificateversion_id=version.pk, applicationitem_id=item.pk)
        for version, items in zip(versions, item_rows, strict=True)
        for item in items
    )
    CertificateStatusChange.objects.bulk_create(
        change
        for plan, certificate in zip(planned, certificates, strict=True)
        for change in _history(plan, certificate)
    )
    for certificate, items in zip(certificates, item_rows, strict=True):
        certificate._prefetched_objects_cache = {"items": items}  # for search.refresh
    search.refresh(certificates=certificates)
    certificates_imported.send(
        sender=Certificate, certificate_ids=[certificate.pk for certificate in certificates]
    )
    # A list a certificate joins gets a new version: no cached copy lacks its bit.
    first_of_list = {status_lists.list_number(c.status_list_index): c for c in certificates}
    for certificate in first_of_list.values():
        status_lists.status_changed(certificate=certificate, when=now)
    audit.record_many(
        [
            {
                "action": "certificate.imported",
                "application": certificate.application,
                "certificate": certificate,
                "to_state": certificate.status,
                "message": certificate.number,
                "row": plan.line,
                "issued_on": plan.issued_on.isoformat(),
                "source": source,
            }
            for plan, certificate in zip(planned, certificates, strict=True)
        ]
    )


def _history(plan: Planned, certificate: Certificate) -> list[CertificateStatusChange]:
    """The public status history, as far as the old registry tells it."""
    changes = [
        CertificateStatusChange(
            certificate=certificate,
            transition=CertificateTransition.ISSUE,
            status=CertificateStatus.VALID,
            effective=start_of_day(plan.valid_from),
        )
    ]
    if plan.status in TRANSITIONS:
        changes.append(
            CertificateStatusChange(
                certificate=certificate,
                transition=TRANSITIONS[plan.status],
                status=plan.status,
                effective=start_of_day(plan.status_since),
                reason=plan.status_reason,
            )
        )
    elif plan.status == CertificateStatus.EXPIRED:
        changes.append(
            CertificateStatusChange(
                certificate=certificate,
                transition=CertificateTransition.EXPIRE,
                status=CertificateStatus.EXPIRED,
                effective=start_of_day(plan.valid_until + datetime.timedelta(days=1)),
            )
        )
    return changes
