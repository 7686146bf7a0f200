"""Workers on PostgreSQL: two at once never take the same job (SKIP LOCKED), and the e-mails
of one job go out once even when two workers run it at the same moment."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs import liveness
from jobs.mail import send_message, serialize
from jobs.worker import Worker, drain

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
    workers = [Worker(worker_id=f"host-{n}", periodic=False) for n in "ab"]
    claimed = [DBTaskResult.objects.get(pk=job.pk) for _ in workers]
    for row, worker in zip(claimed, workers, strict=True):
        row.claim(worker.worker_id)

    outcomes = run_together(
        *[lambda w=w, r=r: w.run(r) for w, r in zip(workers, claimed, strict=True)]
    )

    assert unexpected(outcomes) == []
    assert smtp.subjects() == [subject]


ROOT = Path(__file__).resolve().parent.parent
KILL_TIMEOUT = 60


def worker_process(smtp_port: int) -> subprocess.Popen:
    """`manage.py run_worker` in its own process, on the test database, sending to smtp_port."""
    db = connection.settings_dict
    login = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{login}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    command = [sys.executable, "manage.py", "run_worker", "--no-schedule", "--interval", "0.2"]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def backends_holding_job_locks() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()"
        )
        return {pid for (pid,) in cursor.fetchall()}


def wait_until_gone(pids: set[int]) -> None:
    """PostgreSQL ends a killed client's session when it reads the closed socket: bounded wait."""
    deadline = time.monotonic() + KILL_TIMEOUT
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)]
            )
            if cursor.fetchone()[0] == 0:
                return
            cursor.execute("SELECT pg_sleep(0.05)")
    raise AssertionError(f"sessions {pids} still open {KILL_TIMEOUT} s after the kill")


def test_a_worker_killed_mid_job_leaves_the_job_to_another_which_sends_it_once(smtp):
    # A mail server that takes the connection and never answers: the job hangs there.
    with socket.socket() as stuck_smtp:
        stuck_smtp.bind(("127.0.0.1", 0))
        stuck_smtp.listen()
        stuck_smtp.settimeout(KILL_TIMEOUT)
        [subject] = enqueue(1)
        process = worker_process(stuck_smtp.getsockname()[1])
        try:
            held, _address = stuck_smtp.accept()  # the worker is in the middle of the job
            job = DBTaskResult.objects.get()
            assert job.status == TaskResultStatus.RUNNING
            assert liveness.requeue_orphans() == 0  # its worker is alive: left alone
            owners = backends_holding_job_locks()
            assert owners
            process.kill()
            process.wait(KILL_TIMEOUT)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(KILL_TIMEOUT)
        held.close()
    wait_until_gone(owners)

    assert Worker(worker_id="host-b", schedule=False).step()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert len(job.worker_ids) == 2
    assert smtp.subjects() == [subject]
