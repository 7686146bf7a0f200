"""Daily reminders to staff: jurors whose scorecard is overdue, officers of files past the
decision target, the chair of a session near that still has items to decide.

Then each person who chose a daily digest of the notifications that are not urgent gets it
(certification/notifications_digest.py).

Safe to run twice the same day (or concurrently): each reminder is announced once per thing it
is about (certification.domain.reminders), its e-mail enqueued in the same transaction.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from certification import notifications_digest
from certification.domain import reminders
from certification.management.commands.certificates_daily import _date


class Command(BaseCommand):
    help = (
        "Remind jurors of overdue scoring, officers of files past the decision target, "
        "chairs of sessions near."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=_date, help="Act as if today were this date (YYYY-MM-DD)."
        )

    def handle(self, *args, today=None, **options):
        today = today or timezone.localdate()
        overdue = reminders.remind_overdue_scoring(today=today)
        for assignment in overdue:
            self.stdout.write(
                f"  scoring overdue: {assignment.application.number}, {assignment.juror}"
            )
        late = reminders.flag_decision_targets(today=today)
        for application in late:
            self.stdout.write(f"  decision target passed: {application.number}")
        sessions = reminders.remind_chairs_of_sessions(today=today)
        for session in sessions:
            self.stdout.write(f"  session near: {session.number}")
        digests = notifications_digest.send_digests()
        self.stdout.write(
            f"reminders_daily for {today.isoformat()}: {len(overdue)} scoring, "
            f"{len(late)} decision target, {len(sessions)} session reminder(s), "
            f"{digests} digest(s)."
        )
