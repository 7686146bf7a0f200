"""Daily upkeep of applications: formally reject those whose corrections deadline has passed,
and close the reconsideration windows whose days have passed with no request.

The scheme's rules: a deadline missed without corrections leads to formal rejection. The
applicant has the whole day of the deadline; the day after, this command rejects. Safe to run
twice the same day (or concurrently).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from certification.domain import reminders
from certification.management.commands.certificates_daily import _date
from workflows import services


class Command(BaseCommand):
    help = (
        "Formally reject applications whose corrections deadline passed without corrections; "
        "close reconsideration windows whose time passed; warn of corrections deadlines near."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_date, help="Act as if today were this date (YYYY-MM-DD)."
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        # Windows first: a rejection made in this run opens a window of its own, which must
        # not be judged by a --today far from the day it opened.
        closed = services.close_reconsideration_windows(today=today)
        for application in closed:
            self.stdout.write(f"  closed {application.number}: no reconsideration requested")
        rejected = services.reject_missed_deadlines(today=today)
        for application in rejected:
            self.stdout.write(f"  rejected {application.number}: corrections deadline missed")
        for application in reminders.warn_corrections_deadlines(today=today):
            self.stdout.write(
                f"  warned {application.number}: corrections due {application.corrections_deadline}"
            )
        self.stdout.write(
            f"applications_daily for {today.isoformat()}: {len(rejected)} rejected, "
            f"{len(closed)} reconsideration windows closed."
        )
