"""Bring in the certificates ROPS issued before the system: manage.py import_registry FILE.csv.

FILE: the old registry saved from Excel as CSV (UTF-8 with or without BOM, `;` or `,`), one
row per certificate; the columns are described in docs/operations.md ("Importing the registry
kept before the system"). All or nothing: any wrong row stops the import, each problem names
its row and column, and nothing is changed (exit status 1). --dry-run checks everything,
the database included, and changes nothing.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification import registry_cache
from certification.domain import registry_import
from certification.domain.registry_file import RegistryImportError


class Command(BaseCommand):
    help = (
        "Import the certificates issued before the system from a CSV file (one row per "
        "certificate). All or nothing; --dry-run only checks."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file of the old registry.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row (and against the database) and say what would be imported.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        started = time.perf_counter()
        try:
            outcome = registry_import.import_file(file, dry_run=dry_run)
        except RegistryImportError as error:
            for problem in str(error).splitlines():
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing was imported from {file}: correct the file and run the command again."
            ) from None
        if not dry_run and registry_cache.enabled():
            registry_cache.bump()  # bulk inserts send no signals: the cached answers go stale
        verb = "would be" if dry_run else "were"
        statuses = ", ".join(f"{s} {n}" for s, n in sorted(outcome.by_status.items()))
        self.stdout.write(
            f"{outcome.rows} certificates {verb} imported from {file} ({statuses}); "
            f"{outcome.organizations_created} organisations {verb} created, "
            f"{outcome.organizations_matched} found by their NIP. "
            f"{time.perf_counter() - started:.2f} s."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
