"""Daily upkeep of the registry: expire certificates past their date, send renewal reminders.

Safe to run twice the same day (or concurrently): expiry checks the stored status under a row
lock, and each reminder is recorded once per certificate and threshold, its e-mail enqueued
as a job in the same transaction.
"""

import argparse
import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from certification.choices import CertificateStatus
from certification.domain import lifecycle, renewal
from certification.domain.errors import DomainError
from certification.models import Certificate


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-03-15, not {text!r}") from None


class Command(BaseCommand):
    help = "Expire certificates past their date and e-mail renewal reminders (60, 30, 7 days)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_date, help="Act as if today were this date (YYYY-MM-DD)."
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        self.stdout.write(f"certificates_daily for {today.isoformat()}")
        expired = self._expire(today)
        sent = self._remind(today)
        self.stdout.write(f"Done: {expired} expired, {sent} reminder(s) sent.")

    def _expire(self, today: datetime.date) -> int:
        count = 0
        overdue = Certificate.objects.filter(
            status__in=[CertificateStatus.VALID, CertificateStatus.SUSPENDED],
            valid_until__lt=today,
        ).order_by("valid_until", "pk")
        for certificate in overdue:
            try:
                lifecycle.expire_certificate(certificate=certificate, today=today)
            except DomainError as error:  # changed by someone else meanwhile
                self.stdout.write(f"  skipped {certificate.number}: {error}")
                continue
            count += 1
            self.stdout.write(
                f"  expired {certificate.number} (valid until {certificate.valid_until})"
            )
        return count

    def _remind(self, today: datetime.date) -> int:
        count = 0
        for due in renewal.due_reminders(today=today):
            certificate = due.certificate
            reminder = renewal.claim_reminder(
                certificate=certificate, days_before=due.days_before, today=today
            )
            if reminder is None:
                continue
            count += 1
            self.stdout.write(
                f"  reminded {certificate.number} ({due.days_before}-day reminder, "
                f"{due.days_left} days left) to {reminder.recipients or 'nobody'}"
            )
        return count
