"""What the API answers, as pydantic schemas (they make the OpenAPI document), and the builders.

Status values come from the choices, so a status the lifecycle adds appears in the document
without a change here.
"""

import datetime
from typing import Literal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema

from ..choices import (
    CertificateStatus,
    ItemKind,
    LegalForm,
    Powiat,
    VerificationResult,
    VersionChange,
)
from ..domain.certificates import Verification, number_to_slug
from ..models import Certificate, CpvCode, Identity
from ..registry import SORTS, item_codes
from ..signing import SignatureCheck, SignatureStatus

# What each text parameter may be, stated in the OpenAPI document and checked on every request
# by the same expression. Explicit character classes only: they mean the same in Python, in
# pydantic's regex engine and in the ECMAScript regexes of the document's readers.
_DIGIT = " *[0-9]"
# ZP/2026/0007, zp-2026-0007, with spaces anywhere (certificates.parse_number reads the same).
NUMBER_PATTERN = "^ *[Zz] *[Pp] *[/-]" + _DIGIT * 4 + " *[/-]" + _DIGIT * 4 + " *(?:[0-9] *){0,2}$"
# In the path, slashes after the number are what people add out of habit.
NUMBER_PATH_PATTERN = NUMBER_PATTERN.removesuffix("$") + "/*$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# Empty means today.
DATE_OR_EMPTY_PATTERN = "^(?:[0-9]{4}-[0-9]{2}-[0-9]{2})?$"
# Ten digits, dashes and spaces anywhere, optionally after "NIP", "NIP:" and/or "PL", as on
# an invoice ("NIP: PL 526-025-02-74"); verification_by_nip.nip_digits reads the same.
_GAP = "[ -]*"
NIP_PATTERN = (
    f"^{_GAP}(?:[Nn]{_GAP}[Ii]{_GAP}[Pp]{_GAP}(?::{_GAP})?)?(?:[Pp]{_GAP}[Ll]{_GAP})?"
    f"(?:[0-9]{_GAP}){{10}}$"
)
NO_NUL_PATTERN = "^[^\\u0000]*$"  # PostgreSQL cannot take a NUL character as a parameter
# CPV codes (55520000-1, or 55520000 without the check digit) separated by commas, semicolons
# or white space; certification.domain.cpv reads the same.
_CPV_CODE = "[0-9]{8}(?:-?[0-9])?"
_CPV_GAP = "[ ,;\\t\\r\\n]"
CPV_PATTERN = f"^{_CPV_GAP}*(?:{_CPV_CODE}(?:{_CPV_GAP}+{_CPV_CODE})*)?{_CPV_GAP}*$"

# A bounding box: four plain decimals separated by commas (a few spaces allowed around), or
# nothing; that they are in range and in order is registry.parse_bbox's (format "bbox").
_DEGREES = "[+-]?(?:[0-9]{1,3}(?:\\.[0-9]{0,15})?|\\.[0-9]{1,15})"
BBOX_PATTERN = f"^(?:[ ]{{0,3}}{_DEGREES}[ ]{{0,3}}(?:,[ ]{{0,3}}{_DEGREES}[ ]{{0,3}}){{3}})?$"

# The `date` parameter, as Query's arguments: pydantic refuses what does not match before the
# endpoint runs; a day in the future is the endpoint's own 400.
DATE_QUERY = {
    "max_length": 10,
    "pattern": DATE_OR_EMPTY_PATTERN,
    "description": "YYYY-MM-DD, today or a day in the past, e.g. the tender date",
    "example": "2026-03-15",
}
# What the document says of a parameter beyond what ninja's Query can state, added to every
# operation that has it (endpoints.PublicAPI). Checked by the endpoints themselves: a NUL in a
# text, a powiat that is not one (with a message saying what a TERYT code is), a NIP's check
# digit ("nip" is this API's own format: ten digits whose last is the check digit).
PARAMETER_SCHEMAS = {
    "date": {
        "anyOf": [
            {"type": "string", "format": "date", "pattern": DATE_PATTERN},
            {"type": "string", "maxLength": 0},
            {"type": "null"},
        ]
    },
    "nip": {"format": "nip"},
    "q": {"pattern": NO_NUL_PATTERN},
    "town": {"pattern": NO_NUL_PATTERN},
    "powiat": {"enum": ["", *Powiat.values]},
    # "cpv-codes" is this API's own format: codes of the CPV 2008 vocabulary, each with its
    # right check digit if one is given.
    "cpv": {"format": "cpv-codes"},
    # "bbox" is this API's own format too: min_lon,min_lat,max_lon,max_lat, west before east and
    # south before north, longitudes within ±180 and latitudes within ±90 (RFC 7946).
    "bbox": {"format": "bbox"},
}


Status = Literal[tuple(dict.fromkeys([*CertificateStatus.values, *VerificationResult.values]))]
Result = Literal[tuple(VerificationResult.values)]
StatusFilter = Literal[tuple(CertificateStatus.values)]
LegalFormFilter = Literal[tuple(LegalForm.values)]
KindFilter = Literal[tuple(ItemKind.values)]
SortOrder = Literal[tuple(SORTS)]


class OrganizationOut(Schema):
    name: str
    nip: str
    legal_form: Literal[tuple(LegalForm.values)]
    legal_form_label: str
    town: str


class ItemOut(Schema):
    name: str
    kind: Literal[tuple(ItemKind.values)]
    kind_label: str
    cpv: list[str] = Field(
        description="Its CPV 2008 codes as in a tender notice, for example 55520000-1."
    )


class CpvCodeOut(Schema):
    code: str = Field(description="As in a tender notice: 8 digits, a dash, the check digit.")
    label: str = Field(description="The wording in the language of the request.")
    label_pl: str
    label_en: str
    level: int = Field(
        description=(
            "Significant digits: 2 a division (55000000-0), 3 a group, 4 a class, 5 a category, "
            "6 to 8 finer; the codes below one start with its significant digits."
        )
    )


class LinksOut(Schema):
    page: str
    pdf: str | None
    verification: str


class CertificateOut(Schema):
    number: str
    status: Status
    status_label: str
    organization: OrganizationOut = Field(
        description="The holder as the certificate states it: as it was when issued."
    )
    holder_now: OrganizationOut | None = Field(
        description=(
            "The holder's details today, when ROPS has approved a change of its name, NIP, "
            "legal form or address since the issue; null when they are still as issued."
        )
    )
    items: list[ItemOut]
    issued_on: datetime.date
    valid_until: datetime.date
    imported: bool = Field(
        description=(
            "True for a certificate issued before the system and imported from the registry "
            "ROPS kept then (it has no PDF made by the system)."
        )
    )
    links: LinksOut


class SignatureOut(Schema):
    status: Literal[tuple(SignatureStatus)] = Field(
        description=(
            "`valid`: the `s` token signs exactly this certificate's number, NIP, dates and "
            "items with one of the published keys; `invalid`: it does not (altered copy, or "
            "data changed since it was signed); `malformed`: not a token; `missing`: no `s` "
            "given, or no certificate to check it against."
        )
    )
    key_id: str | None = Field(description="The key that signed, or that the token names.")
    version: int | None = Field(
        description=(
            "When `valid` for an earlier version of the certificate (a printout made before "
            "products or services were added or withdrawn): that version's number; null when "
            "the token signs what the certificate states now."
        )
    )


class VersionOut(Schema):
    number: int = Field(description="1 at issue; one more each time items are added or withdrawn.")
    valid_from: datetime.date = Field(description="The day this version took effect.")
    change: Literal[tuple(VersionChange.values)]
    change_label: str
    items: list[ItemOut] = Field(description="The products and services this version covers.")


class VerificationOut(Schema):
    query: str
    result: Result
    result_label: str
    on_date: datetime.date
    reason: str = Field(description="The public reason of a suspension or revocation in force.")
    correction_until: datetime.date | None = Field(
        description="End of the correction period of a suspension in force."
    )
    certificate: CertificateOut | None
    version: VersionOut | None = Field(
        description=(
            "The version of the certificate in force on `on_date` and the products and services "
            "it covered that day (the certificate's `items` are today's); null when there is no "
            "certificate or it was not yet issued on that day."
        )
    )
    signature: SignatureOut


class CertificatePageOut(Schema):
    count: int = Field(
        description="How many certificates match, counting no further than 1000 (see below)."
    )
    count_is_capped: bool = Field(
        description=(
            "True when more than 1000 match: `count` and `pages` then cover the first 1000 "
            "only. Narrow the search to reach the rest."
        )
    )
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[CertificateOut]


def absolute(path: str) -> str:
    # SITE_URL, not the request's host: behind a proxy the host the app sees is not the public one.
    return f"{settings.SITE_URL}{path}"


def _label(value: str, *choices) -> str:
    for choice in choices:
        try:
            return str(choice(value).label)
        except ValueError:
            continue
    return value


def organization_out(organization: Identity) -> dict:
    return {
        "name": organization.name,
        "nip": organization.nip,
        "legal_form": organization.legal_form,
        "legal_form_label": _label(organization.legal_form, LegalForm),
        "town": organization.town,
    }


def _holder_now(certificate: Certificate) -> dict | None:
    now = certificate.organization.identity
    return None if now == certificate.holder else organization_out(now)


def certificate_out(certificate: Certificate, today: datetime.date) -> dict:
    """A certificate as the public sees it on `today`; items must be prefetched."""
    slug = number_to_slug(certificate.number)
    status = certificate.status_on(today)
    return {
        "number": certificate.number,
        "status": status,
        "status_label": _label(status, CertificateStatus, VerificationResult),
        "organization": organization_out(certificate.holder),
        "holder_now": _holder_now(certificate),
        "items": [
            {
                "name": item.name,
                "kind": item.kind,
                "kind_label": _label(item.kind, ItemKind),
                "cpv": item_codes(item),
            }
            for item in certificate.items.all()
        ],
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "imported": certificate.imported,
        "links": {
            "page": absolute(reverse("certificate_detail", args=[slug])),
            "pdf": absolute(reverse("certificate_pdf", args=[slug])) if certificate.pdf else None,
            "verification": absolute(reverse("verify_number", args=[slug])),
        },
    }


def verification_out(
    verification: Verification, today: datetime.date, signature: SignatureCheck
) -> dict:
    certificate = verification.certificate
    in_force = verification.in_force
    return {
        "query": verification.query,
        "result": verification.result,
        "result_label": _label(verification.result, VerificationResult),
        "on_date": verification.on_date,
        "reason": in_force.reason if in_force else "",
        "correction_until": in_force.correction_until if in_force else None,
        "certificate": certificate_out(certificate, today) if certificate else None,
        "version": _version_out(verification),
        "signature": signature.as_dict(),
    }


def _item_out(item) -> dict:
    return {
        "name": item.name,
        "kind": item.kind,
        "kind_label": _label(item.kind, ItemKind),
        "cpv": item_codes(item),
    }


def _version_out(verification: Verification) -> dict | None:
    version = verification.version
    if verification.certificate is None or version is None:
        return None
    return {
        "number": version.number,
        "valid_from": version.valid_from,
        "change": version.change,
        "change_label": _label(version.change, VersionChange),
        "items": [_item_out(item) for item in verification.items],
    }


def cpv_code_out(code: CpvCode) -> dict:
    return {
        "code": code.full_code,
        "label": code.label,
        "label_pl": code.label_pl,
        "label_en": code.label_en,
        "level": code.level,
    }
