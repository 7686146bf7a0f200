"""A job's log lines carry the id of the request that enqueued it (docs/operations.md, "Logs").

The lines are formatted as production prints them: the console handler's filter and JSON
formatter of settings.LOGGING, here writing to a buffer; the jobs run through the worker's own
claim-and-run code.
"""

import datetime
import io
import json
import logging

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from ops.logs import RequestContext

from . import factories
from .mail import run_jobs
from .smtp_sink import SmtpSink
from .test_jobs import factories_verified, run_jobs_at_most

pytestmark = pytest.mark.django_db

REQUEST_ID = "abc-reset-7f3e9a1c"


class JsonLines(logging.Handler):
    """What the production console handler would print, one JSON object per line."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.buffer = io.StringIO()
        spec = dict(settings.LOGGING["formatters"]["json"])
        self.setFormatter(import_string(spec.pop("()"))(**spec))
        self.addFilter(RequestContext())

    def emit(self, record):
        self.buffer.write(self.format(record) + "\n")

    def lines(self, *loggers: str) -> list[dict]:
        parsed = [json.loads(line) for line in self.buffer.getvalue().splitlines()]
        return [line for line in parsed if line["logger"] in loggers]


@pytest.fixture
def logged():
    # Django's own logging defaults print its INFO lines (the "Task … state=…" of each job).
    handler = JsonLines()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()  # not started: connections are refused until the test starts it
    settings.MAILERS = sink.mailers()
    yield sink
    sink.stop()


def test_a_mail_job_logs_under_the_id_of_the_request_that_enqueued_it(
    client, smtp, settings, logged
):
    settings.JOBS_RETRY_SECONDS = 0
    user = factories.applicant(email="anna@example.pl")
    factories_verified(user)

    response = client.post(
        reverse("account_reset_password"),
        {"email": "anna@example.pl"},
        HTTP_X_REQUEST_ID=REQUEST_ID,
    )
    assert response["X-Request-ID"] == REQUEST_ID
    assert run_jobs_at_most(1) == 1  # SMTP refuses: the job waits for a retry
    smtp.start()
    assert run_jobs() == 1

    [(to, _message)] = smtp.received
    assert to == ["anna@example.pl"]
    job = DBTaskResult.objects.get()
    lines = logged.lines("jobs", "django.tasks")
    assert [(line["level"], line["message"]) for line in lines] == [
        ("INFO", f"Task id={job.pk} path=jobs.mail.send_message state=RUNNING"),
        ("WARNING", lines[1]["message"]),
        ("INFO", f"Task id={job.pk} path=jobs.mail.send_message state=READY"),
        ("INFO", f"Task id={job.pk} path=jobs.mail.send_message state=RUNNING"),
        ("INFO", f"Task id={job.pk} path=jobs.mail.send_message state=SUCCESSFUL"),
    ]
    assert lines[1]["message"].startswith(f"job {job.pk} (jobs.mail.send_message) attempt 1")
    assert {line["request_id"] for line in lines} == {REQUEST_ID}
    # The reset link is forgotten once sent; the request that caused the job is not.
    assert job.args_kwargs == {"args": [], "kwargs": {"message": None}, "request_id": REQUEST_ID}


def test_each_request_s_jobs_carry_its_own_id_and_lines_outside_a_job_none(client, logged):
    for number in (1, 2):
        user = factories.applicant(email=f"user{number}@example.pl")
        factories_verified(user)
        client.post(
            reverse("account_reset_password"),
            {"email": user.email},
            HTTP_X_REQUEST_ID=f"{REQUEST_ID}-{number}",
        )
    assert run_jobs() == 2
    logging.getLogger("jobs").warning("between jobs")

    by_job = {}
    for line in logged.lines("django.tasks"):
        job_id = line["message"].split()[1].removeprefix("id=")
        by_job.setdefault(job_id, set()).add(line["request_id"])
    assert sorted(by_job.values(), key=sorted) == [{f"{REQUEST_ID}-1"}, {f"{REQUEST_ID}-2"}]
    assert logged.lines("jobs")[-1]["request_id"] is None


def test_a_job_no_request_caused_logs_under_its_own_id_and_so_do_the_jobs_it_enqueues(
    mailoutbox, logged
):
    today = timezone.localdate()
    factories.certificate(
        issued_on=today - datetime.timedelta(days=304),
        valid_until=today + datetime.timedelta(days=60),
    )

    call_command("run_job", "certificates_daily", "--wait", stdout=io.StringIO())

    assert len(mailoutbox) == 1  # the renewal reminder
    daily = DBTaskResult.objects.get(task_path="certification.tasks.certificates_daily")
    reminder = DBTaskResult.objects.get(task_path="certification.tasks.notify")
    assert "request_id" not in daily.args_kwargs
    assert reminder.args_kwargs["request_id"] == daily.pk.hex
    ids = {line["request_id"] for line in logged.lines("django.tasks")}
    assert ids == {daily.pk.hex}
