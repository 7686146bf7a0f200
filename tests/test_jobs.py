"""Background jobs on the real engine: enqueued with the change, retried while SMTP refuses
connections, failed where the administrator sees it, never sent twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.tasks.base import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certification.domain import applications
from certification.domain.errors import DomainError
from certification.models import AuditEvent
from jobs import schedule
from jobs.mail import send_message, serialize
from jobs.worker import Worker

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
    assert 'value="retry"' in page  # the superuser's action

    smtp.start()
    retried = admin_client.post(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"action": "retry", "_selected_action": [str(job.pk)]},
    )
    assert retried.status_code == 302
    retry_event = AuditEvent.objects.get(action="jobs.retried")
    assert retry_event.details["jobs"] == [str(job.pk)]
    assert retry_event.actor.is_superuser
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


def local(year, month, day, hour, minute):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def test_the_workers_enqueue_each_daily_job_once_a_day_after_its_time():
    assert schedule.enqueue_due(local(2026, 3, 15, 0, 1)) == []
    assert schedule.enqueue_due(local(2026, 3, 15, 0, 7)) == ["applications_daily"]
    # Another worker, on another host, the same minute: nothing more.
    assert schedule.enqueue_due(local(2026, 3, 15, 0, 7)) == []
    assert schedule.enqueue_due(local(2026, 3, 15, 5, 0)) == [
        "certificates_daily",
        "reconcile_storage",
        "clearsessions",
        "prune_jobs",
    ]
    assert schedule.enqueue_due(local(2026, 3, 15, 7, 0)) == ["reminders_daily"]
    assert schedule.enqueue_due(local(2026, 3, 15, 23, 59)) == []
    assert schedule.enqueue_due(local(2026, 3, 16, 0, 6)) == ["applications_daily"]

    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == sorted(
        [
            "workflows.tasks.applications_daily",
            "workflows.tasks.applications_daily",
            "certification.tasks.certificates_daily",
            "certification.tasks.reconcile_storage",
            "certification.tasks.clearsessions",
            "jobs.tasks.prune_jobs",
            "certification.tasks.reminders_daily",
        ]
    )


def test_run_job_now_sends_the_renewal_reminders_through_the_worker(mailoutbox):
    today = timezone.localdate()
    certificate = factories.certificate(
        issued_on=today - datetime.timedelta(days=304),
        valid_until=today + datetime.timedelta(days=60),
    )
    out = io.StringIO()
    call_command("run_job", "certificates_daily", "--wait", stdout=out)

    assert "Enqueued certificates_daily" in out.getvalue()
    [reminder] = mailoutbox
    assert reminder.to == [certificate.organization.email]
    job = DBTaskResult.objects.get(task_path="certification.tasks.certificates_daily")
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert f"reminded {certificate.number}" in job.return_value


def test_run_job_names_the_jobs_it_knows():
    with pytest.raises(CommandError, match="certificates_daily"):
        call_command("run_job", "certificate_daily", stdout=io.StringIO())


def test_a_job_whose_worker_died_is_run_by_another(mailoutbox, settings):
    settings.JOBS_PERIODIC = {}  # only the job under test in the queue
    application = stages.submitted(stages.cast())
    job = DBTaskResult.objects.get()
    job.claim("host-that-died")
    DBTaskResult.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - datetime.timedelta(seconds=settings.JOBS_STALLED_SECONDS + 60)
    )
    assert run_jobs() == 0  # still counted as running

    assert Worker(worker_id="host-b", periodic=True).step()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["host-that-died", "host-b"]
    assert [m.subject for m in mailoutbox] == [submitted_subject(application)]


def test_prune_jobs_forgets_old_finished_jobs_and_keeps_failed_ones_longer(settings, mailoutbox):
    settings.JOBS_KEEP_DAYS = 30
    jobs = {
        subject: send_message.enqueue(
            message=serialize(mail.EmailMessage(subject, "", "a@example.pl", ["b@example.pl"]))
        )
        for subject in ("old", "recent", "failed")
    }
    run_jobs()
    long_ago = timezone.now() - datetime.timedelta(days=40)
    DBTaskResult.objects.filter(pk__in=[jobs["old"].id, jobs["failed"].id]).update(
        finished_at=long_ago
    )
    DBTaskResult.objects.filter(pk=jobs["failed"].id).update(status=TaskResultStatus.FAILED)

    from jobs.tasks import prune_jobs

    prune_jobs.call()

    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {jobs["recent"].id, jobs["failed"].id}
    assert len(mailoutbox) == 3


def test_only_superusers_may_queue_failed_jobs_again(client):
    from django.contrib.auth.models import Permission

    clerk = factories.officer(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_dbtaskresult"))
    client.force_login(clerk)

    page = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    assert page.status_code == 200
    assert 'value="retry"' not in page.content.decode()
