"""GET /api/v1/verify/nip: every certificate of the organisation with this NIP, on a day.

Mounted on the public API at the end of endpoints.py. Thin, like the other endpoints: check the
parameters, call the domain, shape the answer.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from ..domain.verification_by_nip import (
    NIP_MAX_LENGTH,
    Held,
    NipError,
    NipVerification,
    verify_by_nip,
)
from .errors import ApiError, ErrorOut, day_asked
from .schemas import (
    DATE_QUERY,
    NIP_PATTERN,
    CertificateOut,
    OrganizationOut,
    Result,
    certificate_out,
    organization_out,
)

router = Router()


class HeldOut(Schema):
    result: Result = Field(description="The status on `on_date`.")
    result_label: str
    reason: str = Field(description="The public reason of a suspension or revocation in force.")
    correction_until: datetime.date | None = Field(
        description="End of the correction period of a suspension in force."
    )
    certificate: CertificateOut


class NipVerificationOut(Schema):
    query: str
    nip: str = Field(description="The NIP's ten digits.")
    on_date: datetime.date
    valid: bool = Field(description="Whether any certificate of the organisation was valid.")
    organization: OrganizationOut | None = Field(
        description="Null when the registry holds no certificate, valid or past, for this NIP."
    )
    certificates: list[HeldOut] = Field(description="Valid ones first, then the newest first.")


def _held_out(held: Held, today: datetime.date) -> dict:
    return {
        "result": held.status,
        "result_label": str(held.status.label),
        "reason": held.reason,
        "correction_until": held.correction_until,
        "certificate": certificate_out(held.certificate, today),
    }


def _out(query: str, found: NipVerification, today: datetime.date) -> dict:
    return {
        "query": query,
        "nip": found.nip,
        "on_date": found.on_date,
        "valid": bool(found.valid),
        "organization": organization_out(found.organization) if found.organization else None,
        "certificates": [_held_out(held, today) for held in found.held],
    }


@router.get(
    "",
    response={200: NipVerificationOut, 400: ErrorOut, 429: ErrorOut},
    operation_id="verifyByNip",
    summary="Which certificates does the organisation with this NIP hold, today or on a day?",
    description=(
        "The NIP with or without dashes, spaces or the `PL` prefix. Each certificate's `result` "
        "is its status on `date` (today if not given; a future date is refused); "
        "`certificate.status` is always today's. A NIP with a wrong check digit is a 400 "
        "(`nip_checksum`); a NIP the registry has no certificate for is a 200 with "
        "`organization` null and no certificates."
    ),
)
def verify_nip(
    request,
    nip: str = Query(
        ...,
        max_length=NIP_MAX_LENGTH,
        pattern=NIP_PATTERN,
        description=(
            "10 digits with a valid check digit; dashes, spaces and a NIP: or PL prefix are "
            "allowed."
        ),
        example="526-025-02-74",
    ),
    date: str | None = Query(None, **DATE_QUERY),
):
    if not nip.strip():
        raise ApiError(400, "invalid_parameter", _("Enter the NIP."), "nip")
    today = timezone.localdate()
    on_date = day_asked(date, today)
    try:
        found = verify_by_nip(nip_text=nip, on_date=on_date)
    except NipError as error:
        raise ApiError(400, error.code, str(error), "nip") from None
    return _out(nip, found, today)
