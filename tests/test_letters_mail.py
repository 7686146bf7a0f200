"""The e-mail that tells the applicant of a decision carries the decision letter (PDF); the job
that makes and sends it does so once, however often it runs, and waits out a store that is down.
"""

import hashlib

import pytest
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from certification.domain import users
from certification.domain.reconsideration import deadline_for
from certification.models import AuditEvent, DecisionLetter
from jobs.worker import drain

from . import stages
from .letters import formally_rejected, partially_granted, refused, upheld_formal_rejection
from .mail import day_in, in_language, polish, run_jobs

pytestmark = pytest.mark.django_db

LETTER_JOB = "certification.tasks.send_decision_letters"


def decision_mails(mailoutbox, application):
    return [m for m in mailoutbox if application.number in m.subject and m.attachments]


def stored(letter: DecisionLetter) -> bytes:
    with letter.pdf.open("rb") as pdf:
        return pdf.read()


def test_decision_email_carries_the_letter_as_a_pdf_attachment(mailoutbox):
    c = stages.cast()
    application = partially_granted(c)
    run_jobs()

    [mail] = decision_mails(mailoutbox, application)
    letter = DecisionLetter.objects.get()
    assert mail.subject == polish(
        "Application %(number)s: the jury has granted the mark for some products and services",
        number=application.number,
    )
    [(filename, content, mimetype)] = mail.attachments
    assert filename == f"pismo-{application.number.replace('/', '-')}-{timezone.localdate()}.pdf"
    assert mimetype == "application/pdf"
    assert content == stored(letter) and content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == letter.pdf_sha256
    deadline = deadline_for(decided_on=application.resolutions.get().date)
    assert in_language(
        "pl",
        "If you disagree with the decision, you may ask once for it to be reconsidered, by "
        "%(day)s at the latest: the attached letter explains how.",
        day=day_in("pl", deadline),
    ) in " ".join(mail.body.split())
    letter.refresh_from_db()
    assert letter.sent_at is not None
    actions = AuditEvent.objects.filter(application=application).values_list("action", flat=True)
    assert list(actions).count("letter.made") == 1 and list(actions).count("letter.sent") == 1


def test_each_language_gets_its_own_letter_with_its_e_mail(mailoutbox):
    c = stages.cast()
    users.set_language(user=c.applicant, language="en")
    application = refused(c)
    run_jobs()

    mails = decision_mails(mailoutbox, application)
    assert len(mails) == 2
    by_address = {m.to[0]: m for m in mails}
    english = DecisionLetter.objects.get(language="en")
    polish_letter = DecisionLetter.objects.get(language="pl")
    number = application.number.replace("/", "-")
    english_mail = by_address[c.applicant.email]
    assert english_mail.attachments[0][0].startswith(f"decision-letter-{number}-")
    assert english_mail.attachments[0][1] == stored(english)
    assert by_address["biuro@example.pl"].attachments[0][1] == stored(polish_letter)


def test_formal_rejection_email_carries_its_letter(mailoutbox):
    c = stages.cast()
    application = formally_rejected(c)
    run_jobs()

    [mail] = decision_mails(mailoutbox, application)
    assert mail.subject == polish(
        "Application %(number)s has been rejected in the formal review", number=application.number
    )
    assert mail.attachments[0][1] == stored(DecisionLetter.objects.get())


def test_upheld_rejection_email_says_so_and_carries_the_final_letter(mailoutbox):
    c = stages.cast()
    application = formally_rejected(c)
    run_jobs()
    upheld_formal_rejection(c, application, answer="Brak nowych okoliczności.")
    run_jobs()

    mail = decision_mails(mailoutbox, application)[-1]
    assert mail.subject == polish(
        "Application %(number)s: the formal rejection stands after reconsideration",
        number=application.number,
    )
    assert "Brak nowych okoliczności." in mail.body
    assert polish("This decision was taken on reconsideration and is final.") in " ".join(
        mail.body.split()
    )
    assert mail.attachments[0][1] == stored(DecisionLetter.objects.get(final=True))


def test_running_the_job_twice_makes_one_letter_and_one_mail(mailoutbox):
    c = stages.cast()
    application = refused(c)
    run_jobs()
    job = DBTaskResult.objects.get(task_path=LETTER_JOB)
    assert job.status == TaskResultStatus.SUCCESSFUL

    # The same job again (as the admin's retry puts it back), and a second job for the decision.
    DBTaskResult.objects.filter(pk=job.pk).update(status=TaskResultStatus.READY, worker_ids=[])
    DBTaskResult.objects.create(
        task_path=LETTER_JOB,
        args_kwargs=job.args_kwargs,
        priority=job.priority,
        queue_name=job.queue_name,
        backend_name=job.backend_name,
        run_after=timezone.now(),
    )
    assert run_jobs() == 2

    assert DecisionLetter.objects.count() == 1
    assert len(decision_mails(mailoutbox, application)) == 1
    assert AuditEvent.objects.filter(action="letter.sent").count() == 1


def test_store_down_the_job_waits_and_then_sends_the_letter_once(mailoutbox, settings, tmp_path):
    settings.JOBS_RETRY_SECONDS = 0  # the retry is due at once: no waiting in the test
    c = stages.cast()
    application = refused(c)
    working = settings.STORAGES
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **working,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()

    assert drain(max_jobs=queued, worker_id="test") == queued  # the letter's job comes last
    job = DBTaskResult.objects.get(task_path=LETTER_JOB)
    assert job.status == TaskResultStatus.READY  # to be tried again
    assert "StorageFailure" in job.traceback
    assert not DecisionLetter.objects.exists()
    assert decision_mails(mailoutbox, application) == []

    settings.STORAGES = working
    run_jobs()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    letter = DecisionLetter.objects.get()
    assert letter.sent_at is not None
    [mail] = decision_mails(mailoutbox, application)
    assert mail.attachments[0][1] == stored(letter)
