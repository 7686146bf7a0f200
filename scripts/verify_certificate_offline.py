#!/usr/bin/env python3
"""Check a "Zakup Prospołeczny" certificate's signature offline. Needs only `cryptography`.

The QR code holds the certificate number and its signature; the other signed data (NIP,
dates, products and services) is printed on the certificate. Give both, and the registry's
public key downloaded earlier (/klucze/certyfikaty.pem or /klucze/certyfikaty.json):

    python verify_certificate_offline.py --key certyfikaty.json \\
        --url "https://.../weryfikacja/ZP-2026-0007/?s=1a2b3c4d.…" \\
        --nip 5260250274 --issued-on 2026-11-28 --valid-until 2027-11-27 \\
        --item "Catering „Smaczne”" --item "Szycie toreb"

Exit status: 0 the signature holds, 1 it does not, 2 the input could not be used.
A signature that holds says the data is what the registry issued; whether the certificate is
still in force (not suspended, revoked or expired) only the registry can say.
The format is described in docs/signatures.md of the project.
"""

import argparse
import base64
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def field(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace("%", "%25").replace("|", "%7C")


def payload(number, nip, issued_on, valid_until, items) -> bytes:
    fields = [field(f) for f in ("ZP1", number, nip, issued_on, valid_until)]
    return "|".join(fields + sorted(field(name) for name in items)).encode("utf-8")


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:8]


def load_keys(path: Path) -> dict[str, Ed25519PublicKey]:
    """Public keys by key id, from the registry's PEM file or its JSON key list."""
    if path.suffix == ".json":
        document = json.loads(path.read_text("utf-8"))
        raws = [b64url_decode(k["public_key"]) for k in document.get("keys", [document])]
        keys = [Ed25519PublicKey.from_public_bytes(raw) for raw in raws]
    else:
        keys = [serialization.load_pem_public_key(path.read_bytes())]
    if not all(isinstance(k, Ed25519PublicKey) for k in keys):
        raise ValueError("not an Ed25519 public key")
    return {key_id(k): k for k in keys}


def number_from_url(url: str) -> str:
    match = re.search(r"/(ZP)-(\d{4})-(\d{4,6})/?$", urlsplit(url).path, re.IGNORECASE)
    if not match:
        raise ValueError("the URL names no certificate number")
    return f"ZP/{match[2]}/{match[3]}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--key", required=True, type=Path, help="certyfikaty.pem or .json")
    parser.add_argument("--url", required=True, help="the address read from the QR code")
    parser.add_argument("--number", help="certificate number, if not taken from the URL")
    parser.add_argument("--nip", required=True)
    parser.add_argument("--issued-on", required=True, help="YYYY-MM-DD")
    parser.add_argument("--valid-until", required=True, help="YYYY-MM-DD")
    parser.add_argument("--item", action="append", default=[], help="once per product/service")
    args = parser.parse_args(argv)
    try:
        keys = load_keys(args.key)
        number = args.number or number_from_url(args.url)
        token = parse_qs(urlsplit(args.url).query).get("s", [""])[0]
        kid, _, encoded = token.partition(".")
        signature = b64url_decode(encoded)
        if len(signature) != 64:
            raise ValueError("the URL carries no complete signature")
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"Cannot check: {error}", file=sys.stderr)
        return 2
    if kid not in keys:
        print(f"NOT VALID: signed with key {kid!r}, which is not among the keys given.")
        return 1
    data = payload(number, args.nip, args.issued_on, args.valid_until, args.item)
    try:
        keys[kid].verify(signature, data)
    except InvalidSignature:
        print(f"NOT VALID: the data given is not what the registry signed for {number}.")
        return 1
    print(f"VALID: {number} was signed by the registry (key {kid}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
