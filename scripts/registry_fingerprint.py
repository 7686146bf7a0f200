#!/usr/bin/env python
"""Print, as JSON, what a restore must give back exactly: every certificate (number, status,
dates, its signature as the configured key makes it, its PDF's SHA-256 as recorded and as
stored), every document (recorded and stored SHA-256), every object in the storage (name and
SHA-256), and the row counts of the rest.

Run with the environment of the installation to look at; scripts/restore-drill compares the
output before the backup with the output after the restore.
"""

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def stored_sha256(field) -> str | None:
    if not field:
        return None
    digest = hashlib.sha256()
    try:
        with field.storage.open(field.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return "MISSING"
    return digest.hexdigest()


def fingerprint() -> dict:
    from django.core.files.storage import default_storage
    from storages.backends.s3 import S3Storage

    from certification import signing
    from certification.models import (
        Application,
        AuditEvent,
        Certificate,
        Document,
        Organization,
        User,
    )

    certificates = [
        {
            "number": c.number,
            "status": c.status,
            "issued_on": c.issued_on.isoformat(),
            "valid_until": c.valid_until.isoformat(),
            "signature": signing.sign(c),
            "signature_check": signing.verify_signature(c, signing.sign(c)).status,
            "pdf": c.pdf.name,
            "pdf_sha256_recorded": c.pdf_sha256,
            "pdf_sha256_stored": stored_sha256(c.pdf),
        }
        for c in Certificate.objects.order_by("number")
    ]
    documents = [
        {
            "id": d.pk,
            "file": d.file.name,
            "sha256_recorded": d.sha256,
            "sha256_stored": stored_sha256(d.file),
        }
        for d in Document.objects.order_by("pk")
    ]
    counts = {
        model.__name__: model.objects.count()
        for model in (User, Organization, Application, AuditEvent)
    }
    return {
        "certificates": certificates,
        "documents": documents,
        "stored": stored_files(),
        "storage": "s3" if isinstance(default_storage, S3Storage) else "local",
        "counts": counts,
    }


def stored_files() -> dict[str, str]:
    """Every object of the storage (bucket or MEDIA_ROOT), name → SHA-256, probes aside."""
    from django.core.files.storage import default_storage

    from certification.storage import stored_objects

    files = {}
    for obj in stored_objects(default_storage):
        if not obj.name.startswith("health/"):
            digest = hashlib.sha256()
            with default_storage.open(obj.name, "rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            files[obj.name] = digest.hexdigest()
    return dict(sorted(files.items()))


if __name__ == "__main__":
    import django

    django.setup()
    json.dump(fingerprint(), sys.stdout, indent=1, ensure_ascii=False, default=str)
    print()
