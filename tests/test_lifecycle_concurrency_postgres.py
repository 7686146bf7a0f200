"""Lifecycle races settled by the certificate's row lock: run on PostgreSQL."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from certification.domain import lifecycle
from certification.domain.errors import DomainError
from certification.models import AuditEvent, CertificateStatusChange, RenewalReminder

from . import factories, postgres
from .mail import run_jobs
from .postgres import ROUNDS, run_together, unexpected

pytestmark = postgres.MARKS

TODAY = timezone.localdate()


def test_concurrency_suspend_and_revoke_at_once_leave_one_consistent_history():
    officer = factories.officer()
    for _round in range(ROUNDS):
        certificate = factories.certificate()
        outcomes = run_together(
            lambda c=certificate: lifecycle.suspend_certificate(
                certificate=c,
                user=officer,
                reason="Zawieszenie.",
                correction_until=TODAY + datetime.timedelta(days=7),
            ),
            lambda c=certificate: lifecycle.revoke_certificate(
                certificate=c, user=officer, reason="Cofnięcie."
            ),
            lambda c=certificate: lifecycle.revoke_certificate(
                certificate=c, user=officer, reason="Cofnięcie."
            ),
        )
        assert unexpected(outcomes, DomainError) == []
        certificate.refresh_from_db()
        assert certificate.status == "revoked"
        history = list(certificate.status_changes.values_list("status", flat=True))
        # Each change starts from the state the previous one left: one revocation, at the end.
        assert history in (["revoked"], ["suspended", "revoked"])
        events = AuditEvent.objects.filter(certificate=certificate).order_by("pk")
        assert [e.to_state for e in events] == history
        steps = [(e.from_state, e.to_state) for e in events]
        assert all(a[1] == b[0] for a, b in zip(steps, steps[1:], strict=False))


def test_concurrency_daily_command_twice_at_once_sends_each_reminder_once(mailoutbox):
    for n in range(ROUNDS):
        factories.certificate(
            issued_on=TODAY - datetime.timedelta(days=300 + n),
            valid_until=TODAY + datetime.timedelta(days=30 - n),
        )
    expired = factories.certificate(
        issued_on=TODAY - datetime.timedelta(days=400), valid_until=TODAY - datetime.timedelta(1)
    )
    outcomes = run_together(
        lambda: call_command("certificates_daily", stdout=io.StringIO()),
        lambda: call_command("certificates_daily", stdout=io.StringIO()),
    )
    assert unexpected(outcomes) == []
    run_jobs()  # the reminders' e-mails, as a worker sends them
    # A reminder for each, and one notice of the expiry: once, though the command ran twice.
    assert len(mailoutbox) == ROUNDS + 1
    assert RenewalReminder.objects.count() == ROUNDS
    assert CertificateStatusChange.objects.filter(certificate=expired).count() == 1
