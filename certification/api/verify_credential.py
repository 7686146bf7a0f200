"""POST /api/v1/verify: a presented verifiable credential of this registry, checked.

Registered on the same path as GET /verify at the end of endpoints.py (ninja serves one path's
methods from one router). The body is read here, not by ninja: any JSON object gets a verdict
(200, `verified` true or false with the reasons); a body that is not a JSON object is a 400.
"""

import json
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from ..choices import VerificationResult
from ..credentials import jsonld
from ..credentials.verify import Report, verify_credential
from .errors import ApiError
from .schemas import CertificateOut, certificate_out

# A credential of this registry is some 4 KB, more with many products; far more is not one.
MAX_BODY_BYTES = 64 * 1024


class CredentialErrorOut(Schema):
    code: Literal[
        "not_a_credential",
        "unknown_issuer",
        "unreadable_credential",
        "no_proof",
        "unsupported_proof",
        "wrong_proof_purpose",
        "unknown_key",
        "malformed_proof",
        "invalid_signature",
        "unknown_certificate",
        "unreadable_status_list",
    ]
    message: str


class CredentialVerificationOut(Schema):
    verified: bool = Field(
        description=(
            "True when the credential is this registry's, its proof holds with a key the "
            "registry publishes, and its status could be read from the registry's status lists. "
            "False otherwise: see `errors`."
        )
    )
    status: Literal[tuple(VerificationResult.values)] | None = Field(
        description=(
            "What the credential says now, once verified: `valid`, `suspended`, `revoked` (from "
            "the status lists), `expired` (past its validUntil) or `not_yet_valid`."
        )
    )
    status_label: str | None
    revoked: bool | None = Field(description="The credential's bit in the revocation list.")
    suspended: bool | None = Field(description="The credential's bit in the suspension list.")
    key_id: str | None = Field(description="The registry key that signed it.")
    certificate: CertificateOut | None = Field(
        description="The certificate it was issued for, as the registry shows it today."
    )
    errors: list[CredentialErrorOut]


REQUEST_BODY = {
    "required": True,
    "description": (
        "The credential as downloaded from the certificate's page (its `poswiadczenie.json`): "
        "a W3C Verifiable Credential (Data Model 2.0) with a DataIntegrityProof "
        "(eddsa-rdfc-2022) and a credentialStatus of two BitstringStatusListEntry items. "
        f"At most {MAX_BODY_BYTES // 1024} KB. Sent as application/json (application/vc is "
        "accepted too)."
    ),
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "A verifiable credential.",
                "additionalProperties": True,
            },
            "example": {
                "@context": [jsonld.CREDENTIALS_V2, {"…": "…"}],
                "id": "https://zakup.example.pl/rejestr/ZP-2026-0007/poswiadczenie.json",
                "type": ["VerifiableCredential", "ZakupProspolecznyCertificate"],
                "issuer": {"id": "did:web:zakup.example.pl", "name": "…"},
                "validFrom": "2026-03-02T00:00:00+01:00",
                "validUntil": "2027-03-01T23:59:59+01:00",
                "credentialSubject": {"type": "Organization", "name": "…"},
                "credentialStatus": [{"type": "BitstringStatusListEntry", "…": "…"}],
                "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"},
            },
        }
    },
}


def _body(request):
    if len(request.body) > MAX_BODY_BYTES:
        raise ApiError(
            413,
            "body_too_large",
            _("The credential is too large: at most %(kb)s KB.") % {"kb": MAX_BODY_BYTES // 1024},
        )
    try:
        credential = json.loads(request.body)
    except (ValueError, RecursionError):
        credential = None
    if not isinstance(credential, dict):
        raise ApiError(
            400,
            "invalid_body",
            _("Send the credential as a JSON object in the request body."),
        )
    return credential


def _out(report: Report) -> dict:
    status = report.status
    return {
        "verified": report.verified,
        "status": status,
        "status_label": str(VerificationResult(status).label) if status else None,
        "revoked": report.revoked,
        "suspended": report.suspended,
        "key_id": report.key_id,
        "certificate": (
            certificate_out(report.certificate, timezone.localdate())
            if report.certificate is not None
            else None
        ),
        "errors": [{"code": e.code, "message": e.message} for e in report.errors],
    }


def verify_presented(request):
    return _out(verify_credential(_body(request)))
