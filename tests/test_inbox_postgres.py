"""The daily digest run twice at the same moment sends each person's digest once: run on
PostgreSQL (the pending notifications' row locks settle it)."""

import io

from django.core.management import call_command

from certification.domain import inbox
from certification.models import Notification

from . import factories, postgres
from .postgres import ROUNDS, run_together, unexpected

pytestmark = postgres.MARKS


def test_concurrency_two_digest_runs_at_once_send_once(mailoutbox):
    for _round in range(ROUNDS):
        people = [factories.applicant() for _ in range(3)]
        for user in people:
            inbox.set_mode(user=user, mode="digest")
            for n in range(2):
                Notification.objects.create(
                    recipient=user,
                    kind="certificate_issued",
                    params={"certificate": f"ZP/2026/{n:04d}"},
                    in_digest=True,
                )
        mailoutbox.clear()
        outcomes = run_together(
            lambda: call_command("reminders_daily", stdout=io.StringIO()),
            lambda: call_command("reminders_daily", stdout=io.StringIO()),
        )
        assert unexpected(outcomes) == []
        assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in people)
        assert not Notification.objects.filter(in_digest=True, digested_at__isnull=True).exists()
