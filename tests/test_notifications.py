"""E-mails to the applicant at each change of stage, driven through the real flow.

Each step enqueues its e-mails as jobs in its transaction; the worker sends them. Each test runs
the step (with what a commit would run), then the worker's code over the queue (tests/mail.py).
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from certification.domain import applications
from certification.domain.errors import DomainError
from certification.models import Certificate
from workflows import services

from . import factories, stages
from .mail import polish, polish_date, run_jobs, runner

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a step as if its request had been in English, then its on-commit e-mails."""
    return runner(django_capture_on_commit_callbacks, "en")


def test_submitted_email_gives_number_and_next_steps_in_polish(run, mailoutbox):
    c = stages.cast()
    application = run(stages.submitted, c)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.subject == polish(
        "Application %(number)s has been submitted", number=application.number
    )
    assert application.number in mail.body
    assert polish_date(application.submitted_at) in mail.body
    assert "Catering „Smaczne 0”" in mail.body and "Catering „Smaczne 1”" in mail.body
    assert f"{settings.SITE_URL}{reverse('application_detail', args=[application.pk])}" in (
        mail.body
    )


def test_submitted_email_is_in_polish_though_the_request_was_english(run, mailoutbox):
    c = stages.cast()
    application = run(stages.submitted, c)
    with translation.override("en"):
        english = date_format(timezone.localtime(application.submitted_at), "E")
    with translation.override("pl"):
        polish_month = date_format(timezone.localtime(application.submitted_at), "E")
    assert polish_month != english
    assert polish_month in mailoutbox[0].body
    assert english not in mailoutbox[0].body


def test_recipients_are_contact_and_active_members_each_once(run, mailoutbox):
    c = stages.cast()
    organization = c.applicant.organizations.get()
    organization.email = "Biuro@Spoldzielnia.example.pl"
    organization.save()
    factories.applicant(organization, email="biuro@spoldzielnia.example.pl")  # same, other case
    factories.applicant(organization, email="koordynatorka@spoldzielnia.example.pl")
    factories.applicant(organization, email="")  # no address
    factories.applicant(organization, email="odszedl@spoldzielnia.example.pl", is_active=False)
    factories.applicant(email="obcy@innaorganizacja.example.pl")  # another organisation

    run(stages.submitted, c)

    mail = mailoutbox[0]
    assert mail.to == ["Biuro@Spoldzielnia.example.pl"]
    assert sorted(mail.bcc) == sorted([c.applicant.email, "koordynatorka@spoldzielnia.example.pl"])
    assert len(mail.recipients()) == 3


def test_returned_for_corrections_lists_defects_and_deadline(run, mailoutbox):
    c = stages.cast()
    application = run(stages.in_corrections, c)
    application.refresh_from_db()

    assert len(mailoutbox) == 2
    mail = mailoutbox[1]
    deadline = application.corrections_deadline
    assert mail.subject == polish(
        "Application %(number)s: please correct it by %(date)s",
        number=application.number,
        date=polish_date(deadline),
    )
    defect = application.reviews.get().defects.get()
    assert "Odpis z KRS jest nieaktualny." in mail.body
    assert defect.document.original_name in mail.body
    assert defect.document.document_type.name_pl in mail.body  # a Polish e-mail
    assert polish_date(deadline) in mail.body
    assert reverse("corrections_start", args=[application.pk]) in mail.body


def test_corrections_received_after_the_applicant_answers(run, mailoutbox):
    c = stages.cast()
    application = run(stages.in_corrections, c)
    run(
        services.answer_corrections,
        task_pk=stages.open_task(application, stages.flow.corrections).pk,
        user=c.applicant,
        answer="Załączyliśmy aktualny odpis.",
    )

    assert len(mailoutbox) == 4  # the officers are told too (test_notifications_staff.py)
    assert mailoutbox[2].subject == polish(
        "Application %(number)s: we have received your corrections", number=application.number
    )


def test_formally_accepted_says_it_goes_to_the_jury(run, mailoutbox):
    c = stages.cast()
    application = run(stages.awaiting_jury, c)

    assert [m.subject for m in mailoutbox][1] == polish(
        "Application %(number)s has passed the formal review", number=application.number
    )
    assert "Kapituła" in mailoutbox[1].body


def test_formally_rejected_gives_the_reason(run, mailoutbox):
    c = stages.cast()
    application = run(stages.submitted, c)
    run(
        services.formal_review,
        task_pk=stages.open_task(application, stages.flow.formal_review).pk,
        user=c.officer,
        outcome="reject",
        note="Organizacja nie prowadzi działalności od 6 miesięcy.",
    )

    assert len(mailoutbox) == 2
    mail = mailoutbox[1]
    assert mail.subject == polish(
        "Application %(number)s has been rejected in the formal review",
        number=application.number,
    )
    assert "Organizacja nie prowadzi działalności od 6 miesięcy." in mail.body


def test_jury_decision_granted(run, mailoutbox):
    c = stages.cast()
    application = run(stages.granted, c)

    mail = mailoutbox[-1]
    assert mail.subject == polish(
        "Application %(number)s: the jury has granted the mark", number=application.number
    )
    assert application.resolutions.get().number in mail.body
    assert "Kapituła oceniła wniosek." in mail.body


def test_jury_decision_refused(run, mailoutbox):
    c = stages.cast()
    application = run(stages.awaiting_decision, c)
    run(stages.resolve, c, application, grant=False)

    mail = mailoutbox[-1]
    assert mail.subject == polish(
        "Application %(number)s: the jury has not granted the mark", number=application.number
    )
    assert "Kapituła oceniła wniosek." in mail.body


def test_jury_decision_partly_granted_names_both_lists(run, mailoutbox):
    c = stages.cast()
    application = run(stages.awaiting_decision, c)
    first, second = factories.items_of(application)
    run(stages.resolve, c, application, only=[first])

    mail = mailoutbox[-1]
    assert mail.subject == polish(
        "Application %(number)s: the jury has granted the mark for some products and services",
        number=application.number,
    )
    granted_part, not_granted_part = mail.body.split(polish("The mark is not granted for:"))
    assert first.name in granted_part and second.name not in granted_part
    assert second.name in not_granted_part.split(polish("Justification:"))[0]


def test_certificate_issued_links_page_and_pdf(run, mailoutbox):
    c = stages.cast()
    certificate = run(stages.certified, c)

    # (The jurors' e-mails are test_notifications_staff.py's.)
    subjects = [m.subject for m in mailoutbox if c.applicant.email in m.to + m.bcc]
    assert len(subjects) == 4  # submitted, accepted, decision, certificate
    mail = mailoutbox[-1]
    assert mail.subject == polish(
        "Certificate %(number)s has been issued", number=certificate.number
    )
    slug = certificate.number.replace("/", "-")
    assert reverse("certificate_detail", args=[slug]) in mail.body
    assert reverse("certificate_pdf", args=[slug]) in mail.body
    assert polish_date(certificate.valid_until) in mail.body
    for item in certificate.items.all():
        assert item.name in mail.body


def test_nothing_sent_when_a_later_step_rolls_the_transaction_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    c = stages.cast()
    application = factories.draft_application(user=c.applicant)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError),
        transaction.atomic(),
    ):
        applications.submit_application(application=application, user=c.applicant)
        # A later step of the same transaction fails (as starting the flow could).
        raise DomainError("Something after the submission failed.")

    assert callbacks == []
    assert run_jobs() == 0  # no job survived the rollback
    assert mailoutbox == []
    application.refresh_from_db()
    assert application.status == "draft"


def test_nothing_sent_when_the_step_itself_is_refused(run, mailoutbox):
    c = stages.cast()
    application = run(stages.submitted, c)
    with pytest.raises(DomainError):
        run(services.submit, application=application, user=c.applicant)

    assert len(mailoutbox) == 1  # only the first submission's confirmation
    assert not Certificate.objects.exists()
