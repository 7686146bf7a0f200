"""Background jobs on the real engine: enqueued with the change, retried while SMTP refuses
connections, failed where the administrator sees it, never sent twice."""

import pytest
from django.core import mail
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from certification.domain import applications
from certification.domain.errors import DomainError
from jobs.mail import send_message, serialize

from . import factories, stages
from .mail import polish, run_jobs
from .smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    """An SMTP server the app sends to, not yet started: connections are refused."""
    sink = SmtpSink()
    settings.MAILERS = sink.mailers()
    yield sink
    sink.stop()


def submitted_subject(application) -> str:
    return polish("Application %(number)s has been submitted", number=application.number)


def test_the_job_exists_only_if_the_change_committed():
    c = stages.cast()
    application = factories.draft_application(user=c.applicant)
    with pytest.raises(DomainError), transaction.atomic():
        applications.submit_application(application=application, user=c.applicant)
        raise DomainError("A later step of the same transaction failed.")

    assert not DBTaskResult.objects.exists()

    submitted = stages.submitted(c)
    [job] = DBTaskResult.objects.all()
    assert job.args_kwargs["kwargs"] == {
        "event": "application_submitted",
        "application_id": submitted.pk,
    }


def test_a_mail_job_run_twice_sends_once(mailoutbox):
    application = stages.submitted(stages.cast())
    assert run_jobs() == 1
    [job] = DBTaskResult.objects.all()
    # Run again, as a worker that took it for dead (or an administrator's retry) would.
    DBTaskResult.objects.filter(pk=job.pk).update(status=TaskResultStatus.READY)
    assert run_jobs() == 1

    assert [m.subject for m in mailoutbox] == [submitted_subject(application)]


def test_while_smtp_refuses_the_job_waits_and_the_mail_goes_out_once_when_it_is_back(
    smtp, settings
):
    settings.JOBS_RETRY_SECONDS = 0  # each retry is due at once: no waiting in the test
    settings.JOBS_MAX_ATTEMPTS = 5
    application = stages.submitted(stages.cast())

    assert run_jobs_at_most(2) == 2  # two attempts, both refused
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.READY
    assert job.exception_class_path == "builtins.ConnectionRefusedError"
    assert smtp.received == []

    smtp.start()
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert len(job.worker_ids) == 3
    assert smtp.subjects() == [submitted_subject(application)]
    assert run_jobs() == 0
    assert smtp.subjects() == [submitted_subject(application)]


def run_jobs_at_most(count: int) -> int:
    from jobs.worker import drain

    return drain(max_jobs=count, worker_id="test")


def test_after_the_last_attempt_the_administrator_sees_the_error_and_retries(
    smtp, settings, admin_client
):
    settings.JOBS_RETRY_SECONDS = 0
    settings.JOBS_MAX_ATTEMPTS = 2
    application = stages.submitted(stages.cast())
    assert run_jobs() == 2
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.FAILED

    listing = admin_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    page = listing.content.decode()
    assert "certification.tasks.notify" in page
    assert "Connection refused" in page

    smtp.start()
    retried = admin_client.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "retry", "_selected_action": [str(job.pk)]},
    )
    assert retried.status_code == 302
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert smtp.subjects() == [submitted_subject(application)]


def test_a_password_reset_with_smtp_down_answers_normally_and_the_mail_follows(
    smtp, client, settings
):
    settings.JOBS_RETRY_SECONDS = 0
    user = factories.applicant(email="anna@example.pl")
    factories_verified(user)

    response = client.post(reverse("account_reset_password"), {"email": "anna@example.pl"})

    assert response.status_code == 302
    assert run_jobs_at_most(1) == 1
    assert smtp.received == []
    smtp.start()
    assert run_jobs() == 1
    [(to, message)] = smtp.received
    assert to == ["anna@example.pl"]
    assert "/konto/" in message.get_body(("plain",)).get_content()
    # The reset link is not kept in the queue once sent.
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"message": None}


def factories_verified(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def test_a_message_job_retried_by_hand_after_success_sends_nothing_more(mailoutbox):
    message = mail.EmailMessage("Temat", "Treść", "a@example.pl", ["b@example.pl"])
    send_message.enqueue(message=serialize(message))
    run_jobs()
    DBTaskResult.objects.update(status=TaskResultStatus.READY)
    run_jobs()

    assert [m.subject for m in mailoutbox] == ["Temat"]
