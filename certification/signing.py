"""Ed25519 signatures over what a certificate says, carried in its QR code.

The registry page already tells the truth about a number; the signature lets a printed copy be
checked against it, and lets a buyer's own tool check it offline with the published public key.
The format is public and versioned (docs/signatures.md); change it only by adding a version.

Payload, version ZP1 (UTF-8 bytes of):
    ZP1|<number>|<NIP>|<issued on YYYY-MM-DD>|<valid until YYYY-MM-DD>|<item>|<item>...
each field in Unicode NFC with "%" written as "%25" and "|" as "%7C", the item names sorted by
code point after that escaping. Signature token (the `s` query parameter):
    <key id: 8 lowercase hex digits>.<Ed25519 signature, base64url without padding: 86 chars>
"""

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from cryptography.exceptions import InvalidSignature

from . import signing_keys
from .models import Certificate

PAYLOAD_VERSION = "ZP1"
SIGNATURE_PARAMETER = "s"
SIGNATURE_LENGTH = 64  # bytes, fixed for Ed25519
# The whole shape is checked before any decoding, so no input is too long or too odd to answer.
TOKEN_RE = re.compile(rf"([0-9a-f]{{{signing_keys.KEY_ID_LENGTH}}})\.([A-Za-z0-9_-]{{86}})")
TOKEN_MAX_LENGTH = signing_keys.KEY_ID_LENGTH + 1 + 86


class SignatureStatus(StrEnum):
    VALID = "valid"
    INVALID = "invalid"  # well formed, but not a signature of this certificate by a known key
    MISSING = "missing"  # nothing to check (no token, or no certificate)
    MALFORMED = "malformed"  # not a token at all: truncated, garbage, wrong length


@dataclass(frozen=True)
class SignatureCheck:
    status: SignatureStatus
    key_id: str = ""  # the key that signed (when valid) or that the token names (when invalid)
    # Valid for an earlier version of the certificate (a printout made before its items
    # changed): that version's number. None when it signs what the certificate states now.
    version: int | None = None

    @property
    def is_valid(self) -> bool:
        return self.status == SignatureStatus.VALID

    def as_dict(self) -> dict:
        """For JSON answers: {"status": "valid", "key_id": "1a2b3c4d"}."""
        return {
            "status": self.status.value,
            "key_id": self.key_id or None,
            "version": self.version,
        }


def _field(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("%", "%25").replace("|", "%7C")


def payload_of(
    *, number: str, nip: str, issued_on, valid_until, items: list[str] | tuple[str, ...]
) -> bytes:
    """The signed bytes, from plain values: what an offline checker rebuilds."""
    fields = [PAYLOAD_VERSION, number, nip, issued_on.isoformat(), valid_until.isoformat()]
    fields = [_field(f) for f in fields] + sorted(_field(name) for name in items)
    return "|".join(fields).encode("utf-8")


def payload(certificate: Certificate) -> bytes:
    # items.all() uses a prefetch when the caller made one: no query per certificate then.
    return payload_of(
        number=certificate.number,
        nip=certificate.holder_nip,  # the NIP it was issued to, as printed
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        items=[item.name for item in certificate.items.all()],
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(certificate: Certificate) -> str:
    """The token for the QR code. Ed25519 is deterministic: the same data gives the same token."""
    key = signing_keys.private_key()
    signature = key.sign(payload(certificate))
    return f"{signing_keys.key_id_of(key.public_key())}.{b64url(signature)}"


def verify_signature(certificate: Certificate | None, signature: str | None) -> SignatureCheck:
    """Whether `signature` signs this certificate's current data. Never raises on bad input.

    Raises ImproperlyConfigured only when the server has no usable key (a server fault).
    """
    if not signature or certificate is None:
        return SignatureCheck(SignatureStatus.MISSING)
    if not isinstance(signature, str) or len(signature) > TOKEN_MAX_LENGTH:
        return SignatureCheck(SignatureStatus.MALFORMED)
    match = TOKEN_RE.fullmatch(signature)
    if match is None:
        return SignatureCheck(SignatureStatus.MALFORMED)
    key_id, encoded = match.groups()
    try:
        raw = _b64decode(encoded)
    except (binascii.Error, ValueError):
        return SignatureCheck(SignatureStatus.MALFORMED)
    # Only the canonical spelling: two tokens never stand for the same signature.
    if len(raw) != SIGNATURE_LENGTH or b64url(raw) != encoded:
        return SignatureCheck(SignatureStatus.MALFORMED)
    known = {k.key_id: k for k in signing_keys.public_keys()}
    if key_id not in known:
        return SignatureCheck(SignatureStatus.INVALID, key_id)
    key = known[key_id].key
    try:
        key.verify(raw, payload(certificate))
    except InvalidSignature:
        version = _signed_earlier_version(certificate, key, raw)
        if version is None:
            return SignatureCheck(SignatureStatus.INVALID, key_id)
        return SignatureCheck(SignatureStatus.VALID, key_id, version)
    return SignatureCheck(SignatureStatus.VALID, key_id)


def _signed_earlier_version(certificate: Certificate, key, raw: bytes) -> int | None:
    """The number of the earlier version whose items `raw` signs, if any: the QR code of a
    PDF printed before the certificate's items changed still checks, as that version."""
    earlier = certificate.versions.order_by("-number").prefetch_related("items")[1:]
    for version in earlier:
        data = payload_of(
            number=certificate.number,
            nip=certificate.holder_nip,
            issued_on=certificate.issued_on,
            valid_until=certificate.valid_until,
            items=[item.name for item in version.items.all()],
        )
        try:
            key.verify(raw, data)
        except InvalidSignature:
            continue
        return version.number
    return None


def signature_context(certificate: Certificate | None, request) -> dict:
    """Template context for templates/public/_signature.html, from the link's `s` parameter."""
    token = request.GET.get(SIGNATURE_PARAMETER, "")
    return {"signature_check": verify_signature(certificate, token)}
