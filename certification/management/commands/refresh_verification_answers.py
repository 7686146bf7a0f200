"""Make every ready verification answer afresh: after changes made behind the app's back.

The answers follow every change the app makes (certification.api.answer_rows). A repair in SQL
or a queryset.update() sends no signal: run this afterwards, or the number's answer stays as
it was until the certificate next changes. `--missing` makes only the rows that are not there
(certificates from before the rows existed): deploy/release runs it after migrate. The
migration that made the table fills nothing, because the app's code that shapes an answer
follows the models of today, not those of the migration's day.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from certification.api import answer_rows
from certification.models import Certificate

BATCH = 1000


class Command(BaseCommand):
    help = "Recompute every certificate's ready verification answer (after changes made in SQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only certificates that have no ready answer yet (deploy/release runs this).",
        )

    def handle(self, *args, missing=False, **options):
        certificates = Certificate.objects.order_by("pk")
        if missing:
            certificates = certificates.filter(verification_answer__isnull=True)
        ids = list(certificates.values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():  # one batch at a time: no transaction of hours
                done += answer_rows.refresh(certificate_ids=ids[start : start + BATCH])
        self.stdout.write(f"{done:,} verification answers made afresh.")
