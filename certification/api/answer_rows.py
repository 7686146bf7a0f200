"""Today's verification answers kept ready in the database (models.VerificationAnswer).

A number new to the registry cache used to cost five queries and the shaping of the answer;
with its row it costs one indexed read. The rows follow every change to what verification
says, in the change's own transaction: the model signals below fire on every save of a
certificate, its history, its versions, its items, their CPV codes and its organisation,
whichever domain function (or the admin) makes it; bulk loads (the registry import, the
generator) call `refresh` or `Shaper` themselves.

`Shaper` writes the JSON of VerificationOut without pydantic, with the labels and the links'
patterns looked up once: about a hundred times faster than the endpoint's way, which is what
lets the generator make a million of them. tests/test_verification_answers.py holds it to the
endpoint's answer, byte for byte, after every kind of change.
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import signals
from django.urls import reverse
from django.utils import timezone, translation

from ..choices import (
    CertificateStatus,
    ItemKind,
    LegalForm,
    VerificationResult,
    VersionChange,
)
from ..domain import certificates, registry_import
from ..models import (
    Certificate,
    CertificateStatusChange,
    CertificateVersion,
    ItemCpvCode,
    Organization,
    VerificationAnswer,
)
from ..registry import item_codes
from ..signing import SignatureStatus
from .schemas import absolute

# Expired and revoked are for good: such an answer holds on every later day.
FOR_GOOD = (CertificateStatus.EXPIRED, CertificateStatus.REVOKED)
_SLUG = "ZP-1000-1000"  # stands for the certificate's own in the links' patterns
_NO_SIGNATURE = {"status": SignatureStatus.MISSING.value, "key_id": None, "version": None}


def _labels(*choices) -> dict[str, str]:
    # The first of the choices that knows a value names it, as schemas._label does.
    found: dict[str, str] = {}
    for choice in reversed(choices):
        found |= {value: str(label) for value, label in choice.choices}
    return found


@dataclass(frozen=True)
class Holder:
    name: str
    nip: str
    legal_form: str
    town: str


@dataclass(frozen=True)
class Ready:
    """What today's answer about one certificate says."""

    number: str
    status: str  # today's, as Certificate.status_on(today) gives it
    holder: Holder
    holder_now: Holder | None
    items: list[tuple[str, str, list[str]]]  # name, kind, CPV codes
    issued_on: datetime.date
    valid_until: datetime.date
    imported: bool
    has_pdf: bool
    reason: str = ""
    correction_until: datetime.date | None = None
    version: tuple[int, datetime.date, str] | None = None  # number, valid from, change


class Shaper:
    """The JSON of today's answers in one language."""

    def __init__(self, language: str):
        with translation.override(language):
            self.result_labels = _labels(VerificationResult)
            self.status_labels = _labels(CertificateStatus, VerificationResult)
            self.legal_forms = _labels(LegalForm)
            self.kinds = _labels(ItemKind)
            self.changes = _labels(VersionChange)
            # Paths, not addresses: SITE_URL is put in front when answering (with_site), so a
            # change of the site's address needs no refresh of a million rows.
            self.links = {
                name: reverse(name, args=[_SLUG]).split(_SLUG)
                for name in ("certificate_detail", "certificate_pdf", "verify_number")
            }

    def _link(self, name: str, slug: str) -> str:
        before, after = self.links[name]
        return f"{before}{slug}{after}"

    def _organization(self, holder: Holder) -> dict:
        return {
            "name": holder.name,
            "nip": holder.nip,
            "legal_form": holder.legal_form,
            "legal_form_label": self.legal_forms.get(holder.legal_form, holder.legal_form),
            "town": holder.town,
        }

    def json(self, ready: Ready) -> str:
        slug = certificates.number_to_slug(ready.number)
        items = [
            {"name": name, "kind": kind, "kind_label": self.kinds.get(kind, kind), "cpv": codes}
            for name, kind, codes in ready.items
        ]
        version = None
        if ready.version is not None:
            number, valid_from, change = ready.version
            version = {
                "number": number,
                "valid_from": valid_from.isoformat(),
                "change": change,
                "change_label": self.changes.get(change, change),
                "items": items,
            }
        answer = {
            "query": ready.number,
            "result": ready.status,
            "result_label": self.result_labels.get(ready.status, ready.status),
            "on_date": None,  # the day asked, filled in when answering
            "reason": ready.reason,
            "correction_until": (
                ready.correction_until.isoformat() if ready.correction_until else None
            ),
            "certificate": {
                "number": ready.number,
                "status": ready.status,
                "status_label": self.status_labels.get(ready.status, ready.status),
                "organization": self._organization(ready.holder),
                "holder_now": self._organization(ready.holder_now) if ready.holder_now else None,
                "items": items,
                "issued_on": ready.issued_on.isoformat(),
                "valid_until": ready.valid_until.isoformat(),
                "imported": ready.imported,
                "links": {
                    "page": self._link("certificate_detail", slug),
                    "pdf": self._link("certificate_pdf", slug) if ready.has_pdf else None,
                    "verification": self._link("verify_number", slug),
                },
            },
            "version": version,
            "signature": _NO_SIGNATURE,
        }
        return json.dumps(answer)


def with_site(answer: dict) -> dict:
    """A stored answer as the endpoint gives it: its links made absolute with today's SITE_URL."""
    links = answer["certificate"]["links"]
    for name, path in links.items():
        if path is not None:
            links[name] = absolute(path)
    return answer


def shapers() -> dict[str, Shaper]:
    return {language: Shaper(language) for language, _name in settings.LANGUAGES}


def holds_until(*, status: str, issued_on, valid_until) -> datetime.date:
    """The last day an answer made today holds: past `valid_until` it is expired by date."""
    return datetime.date.max if status in FOR_GOOD else valid_until


def row(ready: Ready, shaped: dict[str, Shaper], *, certificate_id: int, today, stored_status):
    return VerificationAnswer(
        number=ready.number,
        certificate_id=certificate_id,
        holds_from=today,
        holds_until=holds_until(
            status=stored_status, issued_on=ready.issued_on, valid_until=ready.valid_until
        ),
        body={language: shaper.json(ready) for language, shaper in shaped.items()},
    )


def _identity(identity) -> Holder:
    return Holder(identity.name, identity.nip, identity.legal_form, identity.town)


def ready_of(verification: certificates.Verification) -> Ready:
    """Today's verification (certificates.verify, no date asked) as the row states it."""
    certificate = verification.certificate
    in_force, version = verification.in_force, verification.version
    holder = certificate.holder
    now = certificate.organization.identity
    return Ready(
        number=certificate.number,
        status=verification.result,
        holder=_identity(holder),
        holder_now=None if now == holder else _identity(now),
        items=[(item.name, item.kind, item_codes(item)) for item in verification.items],
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        imported=certificate.imported,
        has_pdf=bool(certificate.pdf),
        reason=in_force.reason if in_force else "",
        correction_until=in_force.correction_until if in_force else None,
        version=(version.number, version.valid_from, version.change) if version else None,
    )


def refresh(*, certificate_ids: Iterable[int]) -> int:
    """Recompute the rows of these certificates from the database, in the caller's transaction."""
    today = timezone.localdate()
    numbers = Certificate.objects.filter(pk__in=list(certificate_ids)).values_list(
        "number", flat=True
    )
    rows, shaped = [], shapers()
    for number in numbers:
        verification = certificates.verify(number_text=number, on_date=today)
        certificate = verification.certificate
        if certificate is None or today < certificate.issued_on:
            continue  # not issued yet (an import's date ahead): answered the slower way
        rows.append(
            row(
                ready_of(verification),
                shaped,
                certificate_id=certificate.pk,
                today=today,
                stored_status=certificate.status,
            )
        )
    save(rows)
    return len(rows)


def save(rows: list[VerificationAnswer]) -> None:
    VerificationAnswer.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["number"],
        update_fields=["certificate", "holds_from", "holds_until", "body"],
    )


# Plain SQL, written once: the ORM's compiling of the query would cost more than running it.
# Only the table's name is put in, never a value.
_SELECT = {
    "postgresql": "SELECT body ->> %s FROM {table} WHERE number = %s AND holds_from <= %s "
    "AND holds_until >= %s",
    "sqlite": "SELECT json_extract(body, '$.' || %s) FROM {table} WHERE number = %s "
    "AND holds_from <= %s AND holds_until >= %s",
}


def answer_today(number: str, language: str, today: datetime.date) -> str | None:
    """The stored JSON answer for a canonical number today, or None (then compute it)."""
    sql = _SELECT[connection.vendor].format(table=VerificationAnswer._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [language, number, today, today])
        found = cursor.fetchone()
    return found[0] if found else None


def _changed(*, certificate_ids: Iterable[int], **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures: the rows come with them or are made afterwards
        return
    refresh(certificate_ids=certificate_ids)


def _certificate_saved(sender, instance, **kwargs):
    _changed(certificate_ids=[instance.pk], **kwargs)


def _belongs_saved(sender, instance, **kwargs):
    _changed(certificate_ids=[instance.certificate_id], **kwargs)


def _organization_saved(sender, instance, **kwargs):
    ids = Certificate.objects.filter(organization=instance).values_list("pk", flat=True)
    _changed(certificate_ids=ids, **kwargs)


def _item_code_changed(sender, instance, **kwargs):
    ids = Certificate.objects.filter(items=instance.item_id).values_list("pk", flat=True)
    _changed(certificate_ids=ids, **kwargs)


def _items_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("pre_"):
        return
    if not reverse:
        _changed(certificate_ids=[instance.pk])
    elif pk_set:
        _changed(certificate_ids=pk_set)
    else:  # an item's certificates cleared
        _changed(certificate_ids=instance.certificates.values_list("pk", flat=True))


def _imported(sender, certificate_ids, **kwargs):
    refresh(certificate_ids=certificate_ids)


def connect() -> None:
    signals.post_save.connect(_certificate_saved, sender=Certificate, dispatch_uid="va-cert")
    for model in (CertificateStatusChange, CertificateVersion):
        signals.post_save.connect(_belongs_saved, sender=model, dispatch_uid=f"va-{model}")
    signals.post_save.connect(_organization_saved, sender=Organization, dispatch_uid="va-org")
    signals.m2m_changed.connect(
        _items_changed, sender=Certificate.items.through, dispatch_uid="va-items"
    )
    signals.post_save.connect(_item_code_changed, sender=ItemCpvCode, dispatch_uid="va-cpv")
    signals.post_delete.connect(_item_code_changed, sender=ItemCpvCode, dispatch_uid="va-cpvd")
    registry_import.certificates_imported.connect(_imported, dispatch_uid="va-import")
