"""The Ed25519 keys that sign certificates: kept in files, never in the database.

The private key lives in the PEM file named by CERTIFICATE_SIGNING_KEY_FILE. In development,
when that setting is empty, one key is generated at CERTIFICATE_SIGNING_DEV_KEY_FILE and reused;
production refuses to run without a configured key, because a key generated on the fly would
differ between app servers and be lost on the next deploy, leaving printed QR codes unverifiable.
Public keys of earlier signing keys (CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES) still verify
the certificates they signed after a rotation.
"""

import contextlib
import functools
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"
KEY_ID_LENGTH = 8  # hex digits of SHA-256 over the raw public key: names a key, proves nothing


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    key: Ed25519PublicKey
    current: bool

    @property
    def raw(self) -> bytes:
        return self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def pem(self) -> str:
        return self.key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:KEY_ID_LENGTH]


def write_new_private_key(path: Path) -> Ed25519PrivateKey:
    """Create a key file readable by its owner only; FileExistsError if the path is taken.

    Written to a temporary file and hard-linked into place, so a second process never reads
    a half-written key and never replaces one that already exists.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".signing-key-")
    try:
        with os.fdopen(descriptor, "wb") as out:  # mkstemp files are 0600 already
            out.write(pem)
        os.link(temporary, path)
    finally:
        os.unlink(temporary)
    return key


def _private_key_path() -> Path:
    configured = settings.CERTIFICATE_SIGNING_KEY_FILE
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"CERTIFICATE_SIGNING_KEY_FILE is {path}, but there is no such file. Create one "
                f"with `manage.py generate_signing_key --out {path}`, or point the setting at "
                "the existing key: certificates already printed carry signatures of that key."
            )
        return path
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production needs CERTIFICATE_SIGNING_KEY_FILE: the path of the Ed25519 "
            "private key (PEM) that signs certificates. Create one with "
            "`manage.py generate_signing_key --out /path/to/key.pem`, keep it outside the "
            "database (back it up apart from it) and give every app server the same file."
        )
    path = Path(settings.CERTIFICATE_SIGNING_DEV_KEY_FILE)
    if not path.exists():
        # FileExistsError: another process made it first, and theirs is used.
        with contextlib.suppress(FileExistsError):
            write_new_private_key(path)
    return path


@functools.lru_cache(maxsize=8)
def _load_private_key(path: str, _stamp: tuple) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ImproperlyConfigured(
            f"{path} is not an unencrypted PEM private key: {error}"
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} holds a {type(key).__name__}, not an Ed25519 key.")
    return key


@functools.lru_cache(maxsize=16)
def _load_public_key(path: str, _stamp: tuple) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(Path(path).read_bytes())
    except (ValueError, UnsupportedAlgorithm) as error:
        raise ImproperlyConfigured(f"{path} is not a PEM public key: {error}") from error
    if not isinstance(key, Ed25519PublicKey):
        raise ImproperlyConfigured(f"{path} holds a {type(key).__name__}, not an Ed25519 key.")
    return key


def _stamp(path: Path) -> tuple:
    # Part of the cache key: a replaced key file is read again without a restart.
    try:
        status = path.stat()
    except OSError as error:
        raise ImproperlyConfigured(f"Cannot read the signing key file {path}: {error}") from error
    return (status.st_ino, status.st_mtime_ns, status.st_size)


def private_key() -> Ed25519PrivateKey:
    """The current signing key. ImproperlyConfigured when none is configured or readable."""
    path = _private_key_path()
    return _load_private_key(str(path), _stamp(path))


def public_keys() -> list[PublicKey]:
    """Every key a signature may be checked against: the current one first."""
    current = private_key().public_key()
    keys = [PublicKey(key_id_of(current), current, current=True)]
    for name in settings.CERTIFICATE_SIGNING_PREVIOUS_PUBLIC_KEY_FILES:
        path = Path(name)
        previous = _load_public_key(str(path), _stamp(path))
        if key_id_of(previous) not in {k.key_id for k in keys}:
            keys.append(PublicKey(key_id_of(previous), previous, current=False))
    return keys


def current_public_key() -> PublicKey:
    return public_keys()[0]


@checks.register(checks.Tags.security, deploy=True)
def check_signing_key(app_configs=None, **kwargs):
    """`manage.py check --deploy`: production has a readable key, private to its owner."""
    if not settings.PRODUCTION:
        return []
    try:
        public_keys()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="certification.E101")]
    path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
    if path.stat().st_mode & 0o077:
        return [
            checks.Warning(
                f"The certificate signing key {path} can be read by other users.",
                hint=f"chmod 600 {path}",
                id="certification.W102",
            )
        ]
    return []
