"""`manage.py certificates_daily`: expiry and renewal reminders, idempotent when run twice."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from certification.choices import ApplicationStatus
from certification.models import (
    Application,
    AuditEvent,
    CertificateStatusChange,
    RenewalReminder,
)

from . import factories
from .mail import polish, run_jobs

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def daily(today: datetime.date | None = None) -> str:
    out = io.StringIO()
    args = ["--today", today.isoformat()] if today else []
    call_command("certificates_daily", *args, stdout=out)
    run_jobs()  # the reminders' e-mails, as a worker sends them
    return out.getvalue()


def expiring(in_days: int, **kwargs):
    return factories.certificate(issued_on=days(in_days - 364), valid_until=days(in_days), **kwargs)


# --- expiry ----------------------------------------------------------------------------


def test_daily_expires_valid_and_suspended_certificates_past_their_date():
    valid_past = expiring(-1)
    suspended_past = expiring(-10, status="suspended", status_reason="Powód.")
    revoked_past = expiring(-5, status="revoked", status_reason="Naruszenie.")
    last_day = expiring(0)
    output = daily()
    for certificate in (valid_past, suspended_past, revoked_past, last_day):
        certificate.refresh_from_db()
    assert valid_past.status == "expired"
    assert suspended_past.status == "expired"
    assert revoked_past.status == "revoked"
    assert last_day.status == "valid"
    assert f"expired {valid_past.number}" in output
    assert f"expired {suspended_past.number}" in output
    assert revoked_past.number not in output
    assert "Done: 2 expired" in output
    change = valid_past.status_changes.get()
    assert (change.transition, change.status, change.actor) == ("expire", "expired", None)
    assert timezone.localtime(change.effective).date() == TODAY
    events = AuditEvent.objects.filter(action="certificate.expired")
    assert {(e.certificate_id, e.from_state, e.to_state) for e in events} == {
        (valid_past.pk, "valid", "expired"),
        (suspended_past.pk, "suspended", "expired"),
    }


def test_daily_run_twice_expires_once():
    certificate = expiring(-3)
    daily()
    history, audit = CertificateStatusChange.objects.count(), AuditEvent.objects.count()
    output = daily()
    assert "Done: 0 expired, 0 reminder(s) sent." in output
    assert (CertificateStatusChange.objects.count(), AuditEvent.objects.count()) == (
        history,
        audit,
    )
    certificate.refresh_from_db()
    assert certificate.status == "expired"


def test_daily_with_today_option_acts_on_that_date():
    certificate = expiring(10)
    assert "Done: 0 expired" in daily(days(10))
    assert "Done: 1 expired" in daily(days(11))
    certificate.refresh_from_db()
    assert certificate.status == "expired"
    change = certificate.status_changes.get()
    assert timezone.localtime(change.effective).date() == days(11)


@pytest.mark.parametrize("bad", ["2026-13-01", "jutro", "2026/01/01", ""])
def test_daily_refuses_a_malformed_today(bad):
    with pytest.raises(CommandError, match="--today: expected a date like 2026-03-15"):
        call_command("certificates_daily", "--today", bad, stdout=io.StringIO())


# --- reminders -----------------------------------------------------------------------------


def test_reminder_60_days_before_goes_to_members_and_contact_email(mailoutbox):
    certificate = expiring(60)
    member = factories.applicant(certificate.organization, email="prezes@example.pl")
    factories.applicant(certificate.organization, email="")  # no address: skipped
    output = daily()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [certificate.organization.email]
    assert mail.bcc == [member.email]
    assert certificate.number in mail.subject
    with translation.override("pl"):
        polish_date = date_format(certificate.valid_until, "j E Y")
    assert polish_date in mail.subject  # written in Polish whatever the command's language
    assert "/rejestr/" in mail.body and "/wnioskodawca/" in mail.body
    assert "Catering „Smaczne”" in mail.body
    assert f"reminded {certificate.number} (60-day reminder, 60 days left)" in output
    reminder = RenewalReminder.objects.get()
    assert (reminder.certificate, reminder.days_before, reminder.sent_on) == (
        certificate,
        60,
        TODAY,
    )
    assert AuditEvent.objects.filter(
        certificate=certificate, action="certificate.renewal_reminder"
    ).exists()


def test_reminders_run_twice_the_same_day_send_nothing_more(mailoutbox):
    expiring(60)
    expiring(30)
    expiring(7)
    daily()
    assert len(mailoutbox) == 3
    assert sorted(RenewalReminder.objects.values_list("days_before", flat=True)) == [7, 30, 60]
    output = daily()
    assert len(mailoutbox) == 3
    assert RenewalReminder.objects.count() == 3
    assert "0 reminder(s) sent" in output


def test_reminders_at_60_30_and_7_days_one_each(mailoutbox):
    certificate = expiring(60)
    daily(days(0))
    daily(days(1))  # 59 days left: the 60-day reminder is already sent
    assert len(mailoutbox) == 1
    daily(days(30))
    daily(days(30))
    assert len(mailoutbox) == 2
    assert "(7-day reminder, 7 days left)" in daily(days(53))
    daily(days(55))
    assert len(mailoutbox) == 3
    assert list(certificate.renewal_reminders.values_list("days_before", flat=True)) == [
        60,
        30,
        7,
    ]


def test_missed_days_catch_up_with_one_reminder_not_three(mailoutbox):
    certificate = expiring(20)
    daily()
    assert len(mailoutbox) == 1
    assert list(certificate.renewal_reminders.values_list("days_before", flat=True)) == [30]


@pytest.mark.parametrize("in_days", [61, -1])
def test_no_reminder_outside_the_window(mailoutbox, in_days):
    certificate = expiring(in_days)
    daily()
    # Past its date, the certificate expires instead, and that is what the e-mail tells.
    expired = [polish("Certificate %(number)s has expired", number=certificate.number)]
    assert [m.subject for m in mailoutbox] == ([] if in_days > 0 else expired)
    assert not RenewalReminder.objects.exists()


def test_no_reminder_for_a_suspended_or_revoked_certificate(mailoutbox):
    expiring(30, status="suspended", status_reason="Powód.")
    expiring(30, status="revoked", status_reason="Powód.")
    daily()
    assert mailoutbox == []


def test_no_reminder_while_a_renewal_application_is_under_way(mailoutbox):
    certificate = expiring(30)
    Application.objects.create(
        organization=certificate.organization,
        created_by=factories.applicant(certificate.organization),
        social_goals="Cele.",
        status=ApplicationStatus.SUBMITTED,
        renewal_of=certificate,
    )
    daily()
    assert mailoutbox == []


def test_a_renewal_still_in_draft_does_not_stop_the_reminder(mailoutbox):
    certificate = expiring(30)
    Application.objects.create(
        organization=certificate.organization,
        created_by=factories.applicant(certificate.organization),
        social_goals="",
        renewal_of=certificate,
    )
    daily()
    assert len(mailoutbox) == 1
