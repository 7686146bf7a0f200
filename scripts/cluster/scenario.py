"""The run's people, what they do, the faults, and the checks afterwards (needs django.setup())."""

import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter as Multiset
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import drive
import requests
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.db import connection
from django_tasks_db.models import DBTaskResult

from certification.choices import ApplicationStatus
from certification.dispatch import MAIL_EVENTS
from certification.models import Application, AuditEvent, Certificate
from certification.signing import SIGNATURE_PARAMETER, SignatureStatus, verify_signature
from certification.tasks import COMPOSERS, decision_letters
from tests import factories, stages

PASSWORD = "haslo-testowe-123"
JOB_TASKS = (
    "certification.tasks.notify",
    "certification.tasks.make_certificate_pdf",
    "certification.tasks.send_decision_letters",  # the decision's e-mail, with its letter
)


@dataclass
class People:
    applicants: list  # (username, draft pk)
    officer: str
    cast: stages.Cast


def _verified(user) -> None:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def seed(n: int) -> People:
    cast = stages.cast()
    for user in (cast.officer, *cast.jurors, cast.chair):
        _verified(user)
    applicants = []
    for _ in range(n):
        user = factories.applicant()
        _verified(user)
        applicants.append((user.username, factories.draft_application(user=user).pk))
    return People(applicants=applicants, officer=cast.officer.username, cast=cast)


class _Collect:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self.sink.lock:
            self.sink.received.append((tuple(sorted(envelope.rcpt_tos)), str(message["Subject"])))
        return "250 OK"


class Sink:
    """Every message the app's SMTP client handed over, while started."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.received: list[tuple[tuple[str, ...], str]] = []
        self.lock = threading.Lock()
        self.controller = None

    def start(self) -> None:
        self.controller = Controller(_Collect(self), hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Chaos:
    """The faults: a web server SIGKILLed while applicants submit, SMTP away for a while, and
    a worker SIGKILLed while it runs a job (if it takes one within WORKER_WAIT seconds)."""

    WORKER_WAIT = 25.0

    def __init__(self, cluster, sink: Sink, smtp_down: float, say):
        self.cluster, self.sink, self.smtp_down, self.say = cluster, sink, smtp_down, say
        self.done: list[str] = []
        self.killed_job = None  # the job worker1 was running when it died

    def _worker_id(self, label: str) -> str | None:
        log = self.cluster.logdir / f"{label}.log"
        for line in log.read_text(errors="replace").splitlines() if log.exists() else []:
            if line.startswith("Worker ") and line.endswith(" started."):
                return line.split()[1]
        return None

    def _kill_worker_mid_job(self, label: str) -> None:
        worker_id = self._worker_id(label)
        deadline = time.monotonic() + self.WORKER_WAIT
        try:
            while worker_id is not None and time.monotonic() < deadline:
                running = DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids")
                job = next((j for j in running if j.worker_ids[-1:] == [worker_id]), None)
                if job is not None:
                    self.cluster.kill(label)
                    self.killed_job = job.id
                    self.say(f"fault: {label} SIGKILLed while running job {job.id}")
                    return
                time.sleep(0.05)
        finally:
            connection.close()
        self.cluster.kill(label)
        self.say(f"fault: {label} SIGKILLed (it was running no job at that moment)")

    def run(self) -> None:
        started = time.monotonic()
        time.sleep(1.5)
        self.cluster.kill("web1")
        self.done.append("SIGKILL web1")
        self.say("fault: web1 SIGKILLed (gunicorn master and its workers)")
        self.sink.stop()
        self.done.append("SMTP stopped")
        self.say(f"fault: SMTP sink stopped for {self.smtp_down:.0f} s")
        self._kill_worker_mid_job("worker1")
        self.done.append("SIGKILL worker1")
        time.sleep(max(0.0, started + 1.5 + self.smtp_down - time.monotonic()))
        self.sink.start()
        self.done.append("SMTP started")
        self.say("SMTP sink back")


def wait_ready(base: str, seconds: float = 60, host: str | None = None) -> None:
    deadline = time.monotonic() + seconds
    headers = {"Host": host} if host else {}
    while time.monotonic() < deadline:
        try:
            answer = requests.get(base + "/health/ready", timeout=10, headers=headers)
            if answer.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base} answers no 200 on /health/ready in {seconds:.0f} s")


def applicant_submits(base: str, counter: drive.Counter, person: tuple[str, int]) -> int:
    username, pk = person
    browser = drive.Browser(base, counter)
    browser.log_in(username, PASSWORD)
    drive.submit(browser, pk)
    return pk


def _task_pk(application_pk: int, node, owner=None) -> int:
    try:
        return stages.open_task(Application.objects.get(pk=application_pk), node, owner).pk
    finally:
        connection.close()  # each pool thread has its own connection: not left open


def _jury(people: People, application_pk: int) -> None:
    """The jurors' and the chair's steps, by the domain functions (not the HTTP-critical part)."""
    try:
        application = Application.objects.get(pk=application_pk)
        for juror in people.cast.jurors:
            stages.score_as(application, juror)
        stages.resolve(people.cast, application)
    finally:
        connection.close()


def officer_and_jury(base, counter, people: People, submitted: list[int], pool, say) -> None:
    officer = drive.Browser(base, counter)
    officer.log_in(people.officer, PASSWORD)
    jurors = [str(j.pk) for j in people.cast.jurors]

    def carry(pk: int) -> None:
        drive.task_form(officer, _task_pk(pk, stages.flow.formal_review), {"outcome": "accept"})
        drive.task_form(officer, _task_pk(pk, stages.flow.assign_jury), {"jurors": jurors})
        _jury(people, pk)
        drive.task_form(officer, _task_pk(pk, stages.flow.issue), {})

    list(pool.map(carry, submitted))
    say(f"carried to a certificate over HTTP (officer) and the domain (jury): {len(submitted)}")


def wait_jobs(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        open_jobs = DBTaskResult.objects.filter(task_path__in=JOB_TASKS).exclude(
            status__in=["SUCCESSFUL", "FAILED"]
        )
        if not open_jobs.exists():
            return
        time.sleep(1)
    raise RuntimeError(f"jobs still open after {seconds:.0f} s: {open_jobs.count()}")


def _token_in_pdf(path: Path) -> str | None:
    """The signature the certificate's QR code carries, read from the PDF's rendered page."""
    tmp = Path(tempfile.mkdtemp())
    try:
        subprocess.run(
            ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(path), str(tmp / "p")],
            check=True,
            timeout=60,
        )
        page = next(tmp.glob("p*.png"))
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, timeout=60
        ).stdout.strip()
        values = parse_qs(urlsplit(out).query).get(SIGNATURE_PARAMETER)
        return values[0] if values else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def expected_mail() -> Multiset:
    """What the stages should have sent: every mail job's messages, composed again now."""
    expected = Multiset()
    for job in DBTaskResult.objects.filter(task_path=JOB_TASKS[0]):
        kwargs = job.args_kwargs["kwargs"]
        event = kwargs.pop("event")
        assert event in MAIL_EVENTS
        for message in COMPOSERS[event](**kwargs):
            recipients = tuple(sorted([*message.to, *message.cc, *message.bcc]))
            expected[(recipients, " ".join(str(message.subject).split()))] += 1
    for job in DBTaskResult.objects.filter(task_path=JOB_TASKS[2]):
        # Composed again as the job composed them (the letters exist by now).
        for _letter, message in decision_letters(**job.args_kwargs["kwargs"]):
            recipients = tuple(sorted([*message.to, *message.cc, *message.bcc]))
            expected[(recipients, " ".join(str(message.subject).split()))] += 1
    return expected


def check(people, submitted, sink: Sink, counter: drive.Counter, chaos: Chaos, say) -> list[str]:
    failures = []
    say(f"faults injected: {', '.join(chaos.done)}")
    if len(chaos.done) != 4:
        failures.append(f"not every fault was injected: {chaos.done}")
    # 1. Every submission is in the database, certified, with its audit trail.
    for pk in submitted:
        application = Application.objects.get(pk=pk)
        actions = set(
            AuditEvent.objects.filter(application=application).values_list("action", flat=True)
        )
        if application.status != ApplicationStatus.CERTIFIED or not application.number:
            failures.append(f"application {pk}: status {application.status}")
        submissions = AuditEvent.objects.filter(
            application=application, action="application.submitted"
        ).count()
        if submissions != 1:
            failures.append(f"application {pk}: submitted {submissions} times in the audit log")
        needed = {"application.submitted", "jury.assigned", "application.certified"}
        if not needed <= actions:
            failures.append(
                f"application {pk}: audit events {sorted(actions)} lack {sorted(needed - actions)}"
            )
    say(f"applications in the database with their audit events: {len(submitted)}")
    # 2. Every e-mail once.
    jobs = Multiset(
        DBTaskResult.objects.filter(task_path__in=JOB_TASKS).values_list("status", flat=True)
    )
    if set(jobs) != {"SUCCESSFUL"}:
        failures.append(f"jobs not all successful: {dict(jobs)}")
    retried = DBTaskResult.objects.filter(task_path=JOB_TASKS[0]).extra(
        where=["jsonb_array_length(worker_ids::jsonb) > 1"]
    )
    say(f"mail jobs that ran more than once (SMTP away, a worker killed): {retried.count()}")
    if not retried.exists():
        failures.append("no mail job was retried: the SMTP outage did not take effect")
    if chaos.killed_job is not None:
        job = DBTaskResult.objects.get(pk=chaos.killed_job)
        say(f"the killed worker's job {job.id}: {job.status}, run by {len(job.worker_ids)} workers")
    expected = expected_mail()
    received = Multiset((to, " ".join(subject.split())) for to, subject in sink.received)
    missing, extra = expected - received, received - expected
    if missing:
        failures.append(f"{sum(missing.values())} e-mails never arrived: {list(missing)[:3]}")
    if extra:
        failures.append(
            f"{sum(extra.values())} e-mails arrived twice or unexpected: {list(extra)[:3]}"
        )
    if sum(expected.values()) < 4 * len(submitted):
        failures.append(
            f"only {sum(expected.values())} e-mails expected for {len(submitted)} applications"
        )
    say(f"e-mails: {sum(expected.values())} expected, {sum(received.values())} received")
    # 3. Every certificate's PDF, and the signature its QR code carries verifies.
    certificates = Certificate.objects.filter(application__pk__in=submitted)
    if certificates.count() != len(submitted):
        failures.append(f"{certificates.count()} certificates for {len(submitted)} applications")
    valid = 0
    for certificate in certificates:
        if not certificate.pdf or not default_storage.exists(certificate.pdf.name):
            failures.append(f"certificate {certificate.number}: no PDF")
            continue
        token = _token_in_pdf(Path(default_storage.path(certificate.pdf.name)))
        status = verify_signature(certificate, token).status
        if status != SignatureStatus.VALID:
            failures.append(f"certificate {certificate.number}: signature {status}")
        else:
            valid += 1
    say(f"certificates with a PDF whose QR signature verifies: {valid}/{len(submitted)}")
    # 4. What the clients saw.
    say(
        f"HTTP requests through the load balancer: {counter.requests}; client-visible 5xx: "
        f"{len(counter.server_errors)} {counter.server_errors[:5]}; connections closed with no "
        "answer (a keep-alive connection the load balancer dropped as web1 died; retried as a "
        "browser retries): "
        f"{len(counter.connection_errors)} {counter.connection_errors[:5]}"
    )
    return failures
