"""Load the CPV 2008 vocabulary: manage.py import_cpv FILE [--dry-run].

FILE: the EU's official `cpv_2008_xml.zip` (or the XML inside it), a CSV saved from the
official spreadsheet (UTF-8, with the columns CODE, PL and EN), or the copy the repository
ships, certification/data/cpv_2008_pl_en.csv (docs/cpv.md). All or nothing: any wrong row
stops the import, names its row, and changes nothing (exit status 1).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certification.domain import cpv_import

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "cpv_2008_pl_en.csv"


class Command(BaseCommand):
    help = (
        "Load or update the CPV 2008 vocabulary (Polish and English wording) from the official "
        "XML file, a zip holding it, or a CSV with the columns CODE, PL and EN. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            default=SHIPPED,
            help=f"The file to load (default: the copy shipped in the repository, {SHIPPED.name}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would change; change nothing.",
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            outcome = cpv_import.import_file(file, dry_run=dry_run)
        except cpv_import.CpvImportError as error:
            for problem in str(error).splitlines():
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing was imported from {file}: correct the file and run the command again."
            ) from None
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{outcome.rows} codes read from {file}: {outcome.created} {verb} added, "
            f"{outcome.updated} {verb} updated, {outcome.unchanged} unchanged."
        )
        if outcome.not_in_file:
            self.stdout.write(
                f"{outcome.not_in_file} codes in the database are not in the file; "
                "they are kept (products and services may use them)."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
