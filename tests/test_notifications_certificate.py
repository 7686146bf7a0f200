"""The organisation hears of each change to its certificate after issue, and is warned before a
corrections deadline: each e-mail in each recipient's language, each sent once.

The changes run through the domain's funnel functions inside
django_capture_on_commit_callbacks(execute=True), so the jobs a commit enqueues run as a
worker would run them.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certification.domain import lifecycle, users

from . import factories, stages
from .mail import day_in, in_language, run_jobs, sent_mail

pytestmark = pytest.mark.django_db

CONTACT = "biuro@example.pl"  # OrganizationFactory's contact address
TODAY = timezone.localdate()


@pytest.fixture
def world():
    """A certificate whose organisation has an English-speaking member beside its Polish
    contact address, and an officer."""
    certificate = factories.certificate()
    member = factories.applicant(organization=certificate.organization)
    users.set_language(user=member, language="en")
    officer = factories.officer()
    run_jobs()
    sent_mail().clear()
    return certificate, member, officer


def by_language(messages, member) -> dict:
    """{"pl": the contact address's message, "en": the member's}."""
    assert len(messages) == 2, [m.subject for m in messages]
    return {("en" if m.to == [member.email] else "pl"): m for m in messages}


def test_suspension_tells_reason_and_correction_period_in_each_language(
    world, django_capture_on_commit_callbacks
):
    certificate, member, officer = world
    until = TODAY + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.suspend_certificate(
            certificate=certificate,
            user=officer,
            reason="Brak rekomendacji.",
            correction_until=until,
        )

    mails = by_language(sent_mail(), member)
    msgid = "Certificate %(number)s is suspended until you correct it by %(date)s"
    for language, message in mails.items():
        assert message.subject == in_language(
            language, msgid, number=certificate.number, date=day_in(language, until)
        )
        assert "Brak rekomendacji." in message.body  # the officer's words, as written
        assert in_language(language, "Reason:") in message.body
    assert mails["pl"].to == [CONTACT]
    assert "What to do next: put right what the reason describes by" in mails["en"].body
    assert "Co dalej" in mails["pl"].body


def test_reinstatement_says_valid_again_until_its_date(world, django_capture_on_commit_callbacks):
    certificate, member, officer = world
    lifecycle.suspend_certificate(
        certificate=certificate,
        user=officer,
        reason="Brak rekomendacji.",
        correction_until=TODAY + datetime.timedelta(days=30),
    )
    run_jobs()
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.reinstate_certificate(certificate=certificate, user=officer, note="Uzupełnione.")

    mails = by_language(sent_mail(), member)
    for language, message in mails.items():
        assert message.subject == in_language(
            language, "Certificate %(number)s is valid again", number=certificate.number
        )
        assert day_in(language, certificate.valid_until) in message.body
        assert "Uzupełnione." in message.body


def test_revocation_tells_the_reason_and_to_stop_using_the_mark(
    world, django_capture_on_commit_callbacks
):
    certificate, member, officer = world
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.revoke_certificate(certificate=certificate, user=officer, reason="Naruszenie.")

    mails = by_language(sent_mail(), member)
    for language, message in mails.items():
        assert message.subject == in_language(
            language, "Certificate %(number)s has been revoked", number=certificate.number
        )
        assert "Naruszenie." in message.body
    assert "stop using the mark at once" in mails["en"].body
    assert "przestać używać znaku" in mails["pl"].body


def daily(command: str, today: datetime.date) -> str:
    out = io.StringIO()
    call_command(command, today=today, stdout=out)
    return out.getvalue()


def test_expiry_by_the_daily_job_is_told_once(django_capture_on_commit_callbacks):
    certificate = factories.certificate(valid_until=TODAY - datetime.timedelta(days=1))
    member = factories.applicant(organization=certificate.organization)
    users.set_language(user=member, language="en")
    run_jobs()
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        daily("certificates_daily", TODAY)
        daily("certificates_daily", TODAY)  # run twice the same day: nothing more

    mails = by_language(sent_mail(), member)
    for language, message in mails.items():
        assert message.subject == in_language(
            language, "Certificate %(number)s has expired", number=certificate.number
        )
        assert day_in(language, certificate.valid_until) in message.body
    assert "apply for renewal" in mails["en"].body


# --- the warning before a corrections deadline ---------------------------------------------


@pytest.fixture
def in_corrections(django_capture_on_commit_callbacks):
    c = stages.cast()
    users.set_language(user=c.applicant, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        application = stages.in_corrections(c)
    application.refresh_from_db()
    run_jobs()
    sent_mail().clear()
    return c, application


def test_corrections_warning_three_days_before_the_deadline_once(
    in_corrections, django_capture_on_commit_callbacks
):
    c, application = in_corrections
    deadline = application.corrections_deadline

    with django_capture_on_commit_callbacks(execute=True):
        daily("applications_daily", deadline - datetime.timedelta(days=4))
    assert sent_mail() == []  # too early

    with django_capture_on_commit_callbacks(execute=True):
        output = daily("applications_daily", deadline - datetime.timedelta(days=3))
        daily("applications_daily", deadline - datetime.timedelta(days=2))  # not again
    assert f"warned {application.number}" in output

    mails = by_language(sent_mail(), c.applicant)
    msgid = "Application %(number)s: the corrections are due by %(date)s"
    for language, message in mails.items():
        assert message.subject == in_language(
            language, msgid, number=application.number, date=day_in(language, deadline)
        )
        assert reverse("corrections_start", args=[application.pk]) in message.body
    assert "in 3 days" in mails["en"].body and "za 3 dni" in mails["pl"].body
    assert "formally rejected" in mails["en"].body
    assert "odrzucony z przyczyn formalnych" in mails["pl"].body


def test_no_warning_once_the_corrections_are_in(in_corrections, django_capture_on_commit_callbacks):
    c, application = in_corrections
    deadline = application.corrections_deadline
    stages.services.answer_corrections(
        task_pk=stages.open_task(application, stages.flow.corrections).pk,
        user=c.applicant,
        answer="OK",
    )
    run_jobs()
    sent_mail().clear()

    with django_capture_on_commit_callbacks(execute=True):
        daily("applications_daily", deadline - datetime.timedelta(days=1))
    assert sent_mail() == []
