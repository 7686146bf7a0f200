"""The registry's controller document, published as `did:web`: every signing key it publishes
(certification.signing_keys: the current one and those of earlier rotations) is a verification
method for assertions, so credentials signed before a rotation still verify.

did:web names a host: did:web:zakup.example.pl is resolved by fetching
https://zakup.example.pl/.well-known/did.json; a port is part of the name as %3A
(did:web:127.0.0.1%3A8000). The host is SITE_URL's, the address the registry is known by.
"""

from urllib.parse import urlsplit

import base58
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .. import signing_keys

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
DOCUMENT_PATH = "/.well-known/did.json"
# Multicodec prefix of an Ed25519 public key (0xed as an unsigned varint), as Multikey wants it.
ED25519_PUBLIC_PREFIX = b"\xed\x01"


def did() -> str:
    """did:web of SITE_URL's host (and port)."""
    parts = urlsplit(settings.SITE_URL)
    if not parts.hostname:
        raise ImproperlyConfigured(f"SITE_URL {settings.SITE_URL!r} names no host.")
    if parts.path.strip("/"):
        # did:web:host:path resolves to https://host/path/did.json, which this app does not
        # serve: the registry is at the root of its host (so is security.txt).
        raise ImproperlyConfigured(
            f"SITE_URL {settings.SITE_URL!r} has a path; the registry's did:web needs the "
            "registry at the root of its host."
        )
    name = parts.hostname if parts.port is None else f"{parts.hostname}%3A{parts.port}"
    return f"did:web:{name}"


def document_url() -> str:
    """Where did:web resolution fetches the document: always https, as the method says."""
    parts = urlsplit(settings.SITE_URL)
    return f"https://{parts.netloc}{DOCUMENT_PATH}"


def verification_method_id(key_id: str) -> str:
    return f"{did()}#{key_id}"


def key_id_of(verification_method: str) -> str | None:
    """The key id a verification method URL of this registry names, else None."""
    prefix = f"{did()}#"
    if isinstance(verification_method, str) and verification_method.startswith(prefix):
        return verification_method.removeprefix(prefix)
    return None


def public_key_multibase(key: signing_keys.PublicKey) -> str:
    return "z" + base58.b58encode(ED25519_PUBLIC_PREFIX + key.raw).decode("ascii")


def verification_method(key: signing_keys.PublicKey) -> dict:
    return {
        "id": verification_method_id(key.key_id),
        "type": "Multikey",
        "controller": did(),
        "publicKeyMultibase": public_key_multibase(key),
    }


def controller_document() -> dict:
    keys = signing_keys.public_keys()
    return {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did(),
        "verificationMethod": [verification_method(key) for key in keys],
        "assertionMethod": [verification_method_id(key.key_id) for key in keys],
    }
