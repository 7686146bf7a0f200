"""The registry's Bitstring Status List credentials (W3C "Bitstring Status List v1.0").

Every certificate's credential names one bit (its status_list_index) in two lists: the
revocation list (1 = revoked, for good) and the suspension list (1 = suspended now). The bits
are the certificates' statuses, read when a list is published; expiry needs no bit, since the
credential's own validUntil says it.

A list credential is signed when asked for and kept in the cache under the list's version,
which every status change raises in its own transaction (certification.domain.status_lists):
after a revocation commits, the next request reads the new version and so a list made from the
new statuses. The cache may be per process or shared, and may lose entries: it saves work,
never decides what is current.
"""

import base64
import datetime
import gzip
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from .. import signing_keys
from ..choices import CertificateStatus
from ..models import STATUS_LIST_SIZE, Certificate, StatusList
from . import did, proof
from .jsonld import CREDENTIALS_V2

REVOCATION = "revocation"
SUSPENSION = "suspension"
# Which status sets a purpose's bit.
PURPOSES = {REVOCATION: CertificateStatus.REVOKED, SUSPENSION: CertificateStatus.SUSPENDED}
CACHE_SECONDS = 24 * 3600  # an unchanged list is signed again once a day at most


def list_url(purpose: str, number: int) -> str:
    path = reverse("vc_status_list", kwargs={"purpose": purpose, "number": number})
    return f"{settings.SITE_URL}{path}"


def entries(certificate: Certificate) -> list[dict]:
    """The credentialStatus of a certificate's credential: its bit in both lists."""
    number, bit = divmod(certificate.status_list_index, STATUS_LIST_SIZE)
    result = []
    for purpose in PURPOSES:
        url = list_url(purpose, number)
        result.append(
            {
                "id": f"{url}#{bit}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": str(bit),
                "statusListCredential": url,
            }
        )
    return result


def encode(bits: set[int]) -> str:
    """encodedList: the GZIP-compressed bitstring (bit 0 is the first byte's highest bit),
    in multibase base64url without padding ("u" prefix)."""
    raw = bytearray(STATUS_LIST_SIZE // 8)
    for bit in bits:
        raw[bit // 8] |= 0x80 >> (bit % 8)
    compressed = gzip.compress(bytes(raw), mtime=0)  # mtime 0: same list, same bytes
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    """The raw bitstring of an encodedList (for tests and tools); ValueError if it is none."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u').")
    data = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    return gzip.decompress(data)


def bit_of(raw: bytes, bit: int) -> bool:
    return bool(raw[bit // 8] & (0x80 >> (bit % 8)))


def set_bits(*, purpose: str, number: int) -> set[int]:
    start = number * STATUS_LIST_SIZE
    indexes = Certificate.objects.filter(
        status=PURPOSES[purpose],
        status_list_index__gte=start,
        status_list_index__lt=start + STATUS_LIST_SIZE,
    ).values_list("status_list_index", flat=True)
    return {index - start for index in indexes}


@dataclass(frozen=True)
class Published:
    credential: dict
    etag: str


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def published(*, purpose: str, number: int) -> Published | None:
    """The signed list credential, or None when there is no such list."""
    if purpose not in PURPOSES:
        return None
    version_row = StatusList.objects.filter(number=number).values("version", "changed").first()
    if version_row is None:
        return None
    key_id = signing_keys.current_public_key().key_id
    tag = f"{number}-{purpose}-{version_row['version']}-{key_id}"
    cache_key = (
        "vc-status-list:" + hashlib.sha256(f"{settings.SITE_URL}|{tag}".encode()).hexdigest()
    )
    credential = cache.get(cache_key)
    if credential is None:
        # Read after the version: statuses newer than it may be in, older ones never.
        url = list_url(purpose, number)
        unsigned = {
            "@context": [CREDENTIALS_V2],
            "id": url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": did.did(),
            "validFrom": _iso(version_row["changed"]),
            "credentialSubject": {
                "id": f"{url}#list",
                "type": "BitstringStatusList",
                "statusPurpose": purpose,
                "encodedList": encode(set_bits(purpose=purpose, number=number)),
            },
        }
        credential = proof.sign(unsigned)
        cache.set(cache_key, credential, timeout=CACHE_SECONDS)
    return Published(credential, f'"{tag}"')
