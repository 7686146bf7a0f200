"""E-mails are written in each recipient's language, which the language switch remembers.

Stage changes run through the real flow inside django_capture_on_commit_callbacks(execute=True),
as in test_notifications.py, so the e-mails a commit would send are sent.
"""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from certification.domain import invitations, users
from certification.domain.errors import DomainError
from certification.models import AuditEvent

from . import factories, stages
from .mail import day_in, in_language, run_jobs, runner

pytestmark = pytest.mark.django_db

CONTACT = "biuro@example.pl"  # OrganizationFactory's contact address


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a step, as if its request had been in Polish, then its on-commit e-mails."""
    return runner(django_capture_on_commit_callbacks, "pl")


def test_returned_for_corrections_reaches_english_user_in_english(run, mailoutbox):
    c = stages.cast()
    users.set_language(user=c.applicant, language="en")

    application = run(stages.in_corrections, c)
    application.refresh_from_db()

    corrections = mailoutbox[-2:]  # one per language, after the submission's two
    assert len(mailoutbox) == 4
    polish, english = sorted(corrections, key=lambda m: m.to != [CONTACT])
    deadline = application.corrections_deadline
    msgid = "Application %(number)s: please correct it by %(date)s"
    assert english.to == [c.applicant.email] and english.bcc == []
    assert english.subject == in_language(
        "en", msgid, number=application.number, date=day_in("en", deadline)
    )
    assert "What to correct:" in english.body
    assert "Odpis z KRS jest nieaktualny." in english.body  # the officer's words, as written
    # The document type as the administrator configured it in each language.
    assert "KRS extract or founding document" in english.body
    assert "Odpis z KRS lub dokument założycielski" not in english.body
    assert "Odpis z KRS lub dokument założycielski" in polish.body
    assert polish.to == [CONTACT] and polish.bcc == []
    assert polish.subject == in_language(
        "pl", msgid, number=application.number, date=day_in("pl", deadline)
    )
    assert polish.subject != english.subject
    assert in_language("pl", "What to correct:") in polish.body


def test_certificate_issued_reaches_english_user_in_english(run, mailoutbox):
    c = stages.cast()
    c.applicant.language = "en"
    c.applicant.save()

    certificate = run(stages.certified, c)

    issued = [m for m in mailoutbox if certificate.number in m.subject]
    assert len(issued) == 2
    by_address = {m.to[0]: m for m in issued}
    msgid = "Certificate %(number)s has been issued"
    assert by_address[c.applicant.email].subject == in_language(
        "en", msgid, number=certificate.number
    )
    assert day_in("en", certificate.valid_until) in by_address[c.applicant.email].body
    assert by_address[CONTACT].subject == in_language("pl", msgid, number=certificate.number)
    assert day_in("pl", certificate.valid_until) in by_address[CONTACT].body


def test_polish_users_get_one_polish_message(run, mailoutbox):
    c = stages.cast()
    colleague = factories.applicant(c.applicant.organizations.get(), email="kolega@example.pl")

    application = run(stages.in_corrections, c)
    application.refresh_from_db()

    mail = mailoutbox[-1]
    assert len(mailoutbox) == 2
    assert mail.to == [CONTACT]
    assert sorted(mail.bcc) == sorted([c.applicant.email, colleague.email])
    assert mail.subject == in_language(
        "pl",
        "Application %(number)s: please correct it by %(date)s",
        number=application.number,
        date=day_in("pl", application.corrections_deadline),
    )


def test_contact_address_of_an_english_member_is_written_to_in_english(run, mailoutbox):
    c = stages.cast()
    organization = c.applicant.organizations.get()
    organization.email = c.applicant.email.upper()
    organization.save()
    users.set_language(user=c.applicant, language="en")

    application = run(stages.submitted, c)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [organization.email]
    assert mailoutbox[0].subject == in_language(
        "en", "Application %(number)s has been submitted", number=application.number
    )


def test_invitation_to_an_english_user_is_in_english_and_to_a_new_address_in_polish(
    mailoutbox, django_capture_on_commit_callbacks
):
    member = factories.applicant()
    organization = member.organizations.get()
    factories.UserFactory(email="jan@example.pl", language="en")

    with django_capture_on_commit_callbacks(execute=True), translation.override("pl"):
        english, _token = invitations.invite_colleague(
            organization=organization, email="jan@example.pl", invited_by=member
        )
        polish, _token = invitations.invite_colleague(
            organization=organization, email="nowa@example.pl", invited_by=member
        )
    run_jobs()

    to_jan, to_new = mailoutbox
    assert day_in("en", english.expires_at) in to_jan.body
    assert day_in("pl", polish.expires_at) in to_new.body
    assert day_in("en", polish.expires_at) not in to_new.body


def test_renewal_reminder_reaches_each_member_in_their_language(mailoutbox):
    today = timezone.localdate()
    certificate = factories.certificate(
        issued_on=today - datetime.timedelta(days=304),
        valid_until=today + datetime.timedelta(days=60),
    )
    english = factories.applicant(certificate.organization, email="en@example.pl", language="en")
    polish = factories.applicant(certificate.organization, email="pl@example.pl")

    call_command("certificates_daily", stdout=io.StringIO())
    run_jobs()

    assert len(mailoutbox) == 2
    by_language = {m.to[0]: m for m in mailoutbox}
    assert by_language[CONTACT].bcc == [polish.email]
    assert day_in("pl", certificate.valid_until) in by_language[CONTACT].subject
    assert by_language[english.email].bcc == []
    assert day_in("en", certificate.valid_until) in by_language[english.email].subject


def test_switching_language_while_logged_in_stores_it(client):
    user = factories.UserFactory()
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/rejestr/"})

    assert response.status_code == 302 and response.url == "/rejestr/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en"
    event = AuditEvent.objects.get(action="user.language")
    assert (event.actor, event.from_state, event.to_state) == (user, "pl", "en")

    client.post(reverse("set_language"), {"language": "pl", "next": "/"})
    user.refresh_from_db()
    assert user.language == "pl"


def test_switching_to_the_same_language_writes_nothing(client):
    user = factories.UserFactory()
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "pl", "next": "/"})

    assert not AuditEvent.objects.filter(action="user.language").exists()


def test_anonymous_switching_works_as_before(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/weryfikacja/"})

    assert response.status_code == 302 and response.url == "/weryfikacja/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/weryfikacja/").content.decode()
    assert not AuditEvent.objects.exists()


def test_switching_to_a_language_the_service_lacks_keeps_the_stored_one(client):
    user = factories.UserFactory(language="en")
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"


def test_switching_language_by_get_changes_nothing(client):
    user = factories.UserFactory()
    client.force_login(user)

    response = client.get(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "pl"


def test_set_language_refuses_an_unknown_language():
    user = factories.UserFactory()
    with pytest.raises(DomainError):
        users.set_language(user=user, language="xx")
    user.refresh_from_db()
    assert user.language == "pl"
