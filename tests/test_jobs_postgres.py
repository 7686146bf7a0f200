"""Workers on PostgreSQL: two at once never take the same job (SKIP LOCKED), and the e-mails
of one job go out once even when two workers run it at the same moment."""

import pytest
from django.core import mail
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.mail import send_message, serialize
from jobs.worker import drain

from .postgres import MARKS, run_together, unexpected
from .smtp_sink import SmtpSink

pytestmark = MARKS

JOBS = 40


@pytest.fixture
def smtp(settings):
    sink = SmtpSink()
    settings.MAILERS = sink.mailers()
    sink.start()
    yield sink
    sink.stop()


def enqueue(count: int) -> list[str]:
    subjects = [f"Wiadomość {n}" for n in range(count)]
    for subject in subjects:
        message = mail.EmailMessage(subject, "Treść", "a@example.pl", ["b@example.pl"])
        send_message.enqueue(message=serialize(message))
    return subjects


def test_two_workers_never_run_the_same_job(smtp):
    subjects = enqueue(JOBS)

    outcomes = run_together(
        lambda: drain(max_jobs=JOBS, worker_id="host-a"),
        lambda: drain(max_jobs=JOBS, worker_id="host-b"),
    )

    assert unexpected(outcomes) == []
    assert sum(o.value for o in outcomes) == JOBS
    jobs = list(DBTaskResult.objects.all())
    assert {job.status for job in jobs} == {TaskResultStatus.SUCCESSFUL}
    assert [len(job.worker_ids) for job in jobs] == [1] * JOBS
    assert sorted(smtp.subjects()) == sorted(subjects)


def test_one_job_run_by_two_workers_at_once_sends_its_mail_once(smtp):
    [subject] = enqueue(1)
    job = DBTaskResult.objects.get()
    # Both workers hold the job (one took it for stalled, say) and run it at the same moment.
    from jobs.worker import Worker

    workers = [Worker(worker_id=f"host-{n}", periodic=False) for n in "ab"]
    claimed = [DBTaskResult.objects.get(pk=job.pk) for _ in workers]
    for row, worker in zip(claimed, workers, strict=True):
        row.claim(worker.worker_id)

    outcomes = run_together(
        *[lambda w=w, r=r: w.run(r) for w, r in zip(workers, claimed, strict=True)]
    )

    assert unexpected(outcomes) == []
    assert smtp.subjects() == [subject]
