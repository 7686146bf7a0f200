"""Today's verification answers kept ready in the database (models.VerificationAnswer).

A number new to the registry cache used to cost five queries and the shaping of the answer;
with its row it costs one indexed read. The rows follow every change to what verification
says, in the change's own transaction: the model signals below fire on every save of a
certificate, its history, its versions, its items, their CPV codes and its organisation,
whichever domain function (or the admin) makes it; bulk loads (the registry import, the
generator) call `refresh` or `row_for` themselves. The answers are made by the same code as
the slow path (certificates.verify, schemas.verification_out), so both say the same.
"""

import datetime
import json
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import signals
from django.utils import timezone, translation
from ninja.responses import NinjaJSONEncoder  # the endpoints' renderer's: the same JSON

from ..choices import CertificateStatus
from ..domain import certificates, registry_import
from ..models import (
    Certificate,
    CertificateStatusChange,
    CertificateVersion,
    ItemCpvCode,
    Organization,
    VerificationAnswer,
)
from ..signing import verify_signature
from .schemas import VerificationOut, verification_out

# Expired and revoked are for good: such an answer holds on every later day.
FOR_GOOD = (CertificateStatus.EXPIRED, CertificateStatus.REVOKED)


def row_for(verification: certificates.Verification, today: datetime.date) -> VerificationAnswer:
    """The row of a verification computed for `today` (no date asked, no signature given)."""
    certificate = verification.certificate
    signature = verify_signature(certificate, None)
    body = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            shaped = verification_out(verification, today, signature)
            dumped = VerificationOut.model_validate(shaped).model_dump(by_alias=True)
            body[language] = json.dumps(dumped, cls=NinjaJSONEncoder)
    # Past its last day a certificate is expired by date, whatever the stored status says.
    until = datetime.date.max if certificate.status in FOR_GOOD else certificate.valid_until
    if today < certificate.issued_on:
        until = min(until, certificate.issued_on - datetime.timedelta(days=1))
    return VerificationAnswer(
        number=certificate.number,
        certificate_id=certificate.pk,
        holds_from=today,
        holds_until=until,
        body=body,
    )


def refresh(*, certificate_ids: Iterable[int]) -> int:
    """Recompute the rows of these certificates from the database, in the caller's transaction."""
    today = timezone.localdate()
    numbers = Certificate.objects.filter(pk__in=list(certificate_ids)).values_list(
        "number", flat=True
    )
    rows = []
    for number in numbers:
        verification = certificates.verify(number_text=number, on_date=today)
        if verification.certificate is not None:
            rows.append(row_for(verification, today))
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
