"""The public keys that check certificate signatures, at stable addresses for buyers' tools."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .. import signing, signing_keys

# An hour: long enough to spare the server, short enough that a rotation shows the same day.
KEY_CACHE_SECONDS = 3600

PAYLOAD_DESCRIPTION = (
    "UTF-8 bytes of: ZP1|<certificate number>|<NIP>|<issued on, YYYY-MM-DD>|"
    "<valid until, YYYY-MM-DD>|<item name>|<item name>... Each field is in Unicode NFC with "
    "'%' written as '%25' and '|' as '%7C'; item names are sorted by Unicode code point after "
    "that escaping. The signature does not cover the certificate's status: a correctly signed "
    "certificate may since have been suspended, revoked or have expired."
)
TOKEN_DESCRIPTION = (
    "The 's' query parameter of the verification URL in the QR code: <key_id>.<signature>, "
    "where key_id is 8 lowercase hex digits (the first 8 of SHA-256 over the raw 32-byte "
    "public key) and signature is the 64-byte Ed25519 signature in base64url without padding."
)


def _public(response):
    # Anyone's tool may fetch the keys, from a browser page on another site too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@cache_control(public=True, max_age=KEY_CACHE_SECONDS)
def public_key_pem(request):
    key = signing_keys.current_public_key()
    return _public(HttpResponse(key.pem, content_type="application/x-pem-file"))


@require_safe
@cache_control(public=True, max_age=KEY_CACHE_SECONDS)
def public_key_json(request):
    keys = signing_keys.public_keys()
    current = keys[0]
    described = [
        {
            "key_id": key.key_id,
            "algorithm": signing_keys.ALGORITHM,
            "public_key": signing.b64url(key.raw),
            "public_key_pem": key.pem,
            "current": key.current,
        }
        for key in keys
    ]
    return _public(
        JsonResponse(
            {
                "key_id": current.key_id,
                "algorithm": signing_keys.ALGORITHM,
                "public_key": signing.b64url(current.raw),
                "public_key_pem_url": settings.SITE_URL + reverse("signing_key_pem"),
                "payload_format": signing.PAYLOAD_VERSION,
                "payload_description": PAYLOAD_DESCRIPTION,
                "signature_parameter": signing.SIGNATURE_PARAMETER,
                "signature_description": TOKEN_DESCRIPTION,
                "keys": described,
            },
            json_dumps_params={"indent": 2},
        )
    )
