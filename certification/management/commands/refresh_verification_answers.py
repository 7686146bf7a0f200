"""Make every ready verification answer afresh: after changes made behind the app's back.

The answers follow every change the app makes (certification.api.answer_rows). A repair in SQL
or a queryset.update() sends no signal: run this afterwards, or the number's answer stays as
it was until the certificate next changes.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from certification.api import answer_rows
from certification.models import Certificate

BATCH = 1000


class Command(BaseCommand):
    help = "Recompute every certificate's ready verification answer (after changes made in SQL)."

    def handle(self, *args, **options):
        ids = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))
        done = 0
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():  # one batch at a time: no transaction of hours
                done += answer_rows.refresh(certificate_ids=ids[start : start + BATCH])
        self.stdout.write(f"{done:,} verification answers made afresh.")
