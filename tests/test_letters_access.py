"""Letters are kept in the applicant's and the staff file, and downloaded only through a view
that checks who asks: the organisation's members and the staff who may open the file."""

import pytest
from django.urls import reverse

from certification.models import AuditEvent, DecisionLetter

from . import factories, stages
from .letters import partially_granted
from .mail import run_jobs
from .web import login, main_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    c = stages.cast()
    application = partially_granted(c)
    run_jobs()
    return c, application, DecisionLetter.objects.get()


def download_url(letter) -> str:
    return reverse("letter_download", args=[letter.pk])


def test_applicant_page_lists_the_letter_with_its_download_link(client, decided):
    c, application, letter = decided

    page = main_part(
        login(client, c.applicant)
        .get(reverse("application_detail", args=[application.pk]))
        .content.decode()
    )

    assert "<h2>Letters</h2>" in page
    assert f'href="{download_url(letter)}"' in page
    assert "Decision letter: Partial grant," in page and "in polish (PDF)" in page
    assert "You may ask for reconsideration by" in page
    assert letter.pdf.name not in page  # never the storage's own address


def test_member_downloads_the_letter_and_the_download_is_audited(client, decided):
    c, application, letter = decided

    response = login(client, c.applicant).get(download_url(letter))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    assert f"pismo-{application.number.replace('/', '-')}-" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="letter.downloaded")
    assert (event.actor, event.application, event.details["letter"]) == (
        c.applicant,
        application,
        letter.pk,
    )


def test_staff_file_lists_the_letter_and_the_officer_downloads_it(client, decided):
    c, application, letter = decided
    login(client, c.officer)

    page = main_part(
        client.get(reverse("staff_application", args=[application.pk])).content.decode()
    )

    assert 'id="letters-title"' in page
    assert f'href="{download_url(letter)}">Partial grant</a>' in page
    assert "Polish" in page
    assert client.get(download_url(letter)).status_code == 200


def test_staff_file_before_a_decision_says_there_is_no_letter(client):
    c = stages.cast()
    application = stages.awaiting_jury(c)

    page = login(client, c.officer).get(reverse("staff_application", args=[application.pk]))

    assert "No decision letter yet." in page.content.decode()


@pytest.mark.parametrize("who", ["other_member", "juror", "superuser"])
def test_letter_is_404_for_people_who_may_not_see_the_application(client, decided, who):
    _c, _application, letter = decided
    user = {
        "other_member": lambda: factories.applicant(factories.OrganizationFactory()),
        "juror": factories.juror,  # a juror not assigned to it
        "superuser": lambda: factories.UserFactory(is_superuser=True, is_staff=True),
    }[who]()

    assert login(client, user).get(download_url(letter)).status_code == 404
    assert not AuditEvent.objects.filter(action="letter.downloaded").exists()


def test_letter_sends_an_anonymous_visitor_to_log_in(client, decided):
    _c, _application, letter = decided

    response = client.get(download_url(letter))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
