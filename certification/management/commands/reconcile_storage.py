"""Daily: remove stored files no record refers to, report records whose file is missing.

Exit status: 0 all is well; 1 some record refers to a missing file (a monitoring cron should
alert someone: docs/operations.md says what to do); 2 the storage could not be listed or some
file could not be removed (try again later). Safe to run twice, and beside uploads.
"""

import argparse
import datetime
import re

from django.core.management.base import BaseCommand, CommandError

from certification.domain import storage_reconciliation
from certification.storage import STORAGE_ERRORS

_DURATION_RE = re.compile(r"^(\d+)([smhd]?)$")
_UNITS = {"": "seconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _duration(text: str) -> datetime.timedelta:
    match = _DURATION_RE.match(text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(
            f"expected a duration like 3600, 90m, 1h or 2d, not {text!r}"
        )
    return datetime.timedelta(**{_UNITS[match[2]]: int(match[1])})


class Command(BaseCommand):
    help = (
        "Remove stored files (documents, certificate PDFs) that no record refers to and that are "
        "older than --older-than; report records whose file is missing (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=_duration,
            default=storage_reconciliation.DEFAULT_THRESHOLD,
            help="Leave alone files younger than this (default 1h; 3600, 90m, 1h, 2d).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be removed; remove nothing."
        )

    def handle(self, *args, older_than, dry_run, **options):
        try:
            result = storage_reconciliation.reconcile_storage(
                older_than=older_than, dry_run=dry_run
            )
        except STORAGE_ERRORS as error:
            raise CommandError(f"The storage could not be listed: {error}", returncode=2) from error
        found = result.survey
        modified = {obj.name: obj.modified for obj in found.orphans}
        verb = "would remove" if dry_run else "removed"
        gone = result.would_remove if dry_run else result.removed
        for name in gone:
            self.stdout.write(f"  {verb} {name} (stored {modified[name]:%Y-%m-%d %H:%M} UTC)")
        for name in result.referenced_meanwhile:
            self.stdout.write(f"  kept {name}: a record refers to it now")
        for name in result.failed:
            self.stdout.write(f"  could not remove {name}")
        for missing in found.missing:
            self.stdout.write(
                f"  MISSING {missing.name}: {missing.model} {missing.pk} ({missing.field})"
            )
        self.stdout.write(
            f"reconcile_storage{' (dry run)' if dry_run else ''}: {found.listed} stored, "
            f"{found.referenced} referred to by records; {len(gone)} unreferenced "
            f"{'to be removed' if dry_run else 'removed'}, "
            f"{len(found.young)} unreferenced younger than {older_than} kept, "
            f"{len(result.failed)} could not be removed; "
            f"{len(found.missing)} record(s) with a missing file."
        )
        if found.missing:
            raise CommandError(
                f"{len(found.missing)} record(s) refer to a missing file; see docs/operations.md.",
                returncode=1,
            )
        if result.failed:
            raise CommandError(
                f"{len(result.failed)} file(s) could not be removed; run again later.",
                returncode=2,
            )
