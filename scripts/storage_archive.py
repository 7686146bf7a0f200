#!/usr/bin/env python
"""The storage half of scripts/backup and scripts/restore: every stored file (documents,
certificate PDFs) copied out of the configured storage into a directory, or back in.

    storage_archive.py export DIR   write each file to DIR/<its name>, and DIR.sha256
    storage_archive.py import DIR   store each file of DIR under its name; refuses a
                                    storage that is not empty
    storage_archive.py empty        exit 0 if the storage is reachable and holds no file
                                    (what scripts/restore checks before it writes anything)

One code path for an S3 bucket and for MEDIA_ROOT (Django's storage API), run with the
service's environment. Names are kept exactly: the database refers to files by name.
"""

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export(target: Path) -> int:
    from django.core.files.storage import default_storage

    from certification.storage import stored_objects

    target.mkdir(parents=True, exist_ok=False)
    lines = []
    for obj in sorted(stored_objects(default_storage), key=lambda o: o.name):
        if obj.name.startswith("health/"):  # /health/ready's probes, deleted a moment later
            continue
        path = target / obj.name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(obj.name, "rb") as source, path.open("wb") as copy:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                copy.write(chunk)
        lines.append(f"{sha256_of(path)}  {obj.name}\n")
    Path(f"{target}.sha256").write_text("".join(lines))
    print(f"storage: {len(lines)} file(s) exported to {target}")
    return 0


def empty() -> int:
    from django.core.files.storage import default_storage

    from certification.storage import stored_objects

    present = [o.name for o in stored_objects(default_storage) if not o.name.startswith("health/")]
    if present:
        print(
            f"storage: refusing to restore into {_where()}, which holds {len(present)} file(s) "
            f"(e.g. {present[0]}); restore into an empty bucket or MEDIA_ROOT",
            file=sys.stderr,
        )
        return 1
    return 0


def import_(source: Path) -> int:
    from django.core.files import File
    from django.core.files.storage import default_storage

    if empty() != 0:
        return 1
    count = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        with path.open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=name))
        if stored != name:
            print(f"storage: {name} was stored as {stored}", file=sys.stderr)
            return 1
        count += 1
    print(f"storage: {count} file(s) imported from {source}")
    return 0


def _where() -> str:
    """The configured storage, as an operator names it."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    bucket = getattr(default_storage, "bucket_name", None)
    if bucket:
        return f"bucket {bucket} at {getattr(default_storage, 'endpoint_url', None) or 'AWS'}"
    return f"MEDIA_ROOT {settings.MEDIA_ROOT}"


def main(argv: list[str]) -> int:
    commands = {"export": 3, "import": 3, "empty": 2}
    if len(argv) != commands.get(argv[1] if len(argv) > 1 else "", 0):
        print(__doc__, file=sys.stderr)
        return 2
    import django

    django.setup()
    from certification.storage import STORAGE_ERRORS

    try:
        if argv[1] == "empty":
            return empty()
        directory = Path(argv[2])
        return export(directory) if argv[1] == "export" else import_(directory)
    except STORAGE_ERRORS as error:
        # A missing bucket, wrong credentials, an unreachable server: say which, no traceback.
        print(f"storage: {_where()}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
