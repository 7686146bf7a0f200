"""Sending corrections with nothing changed asks first, and says again what was asked for."""

import html

import pytest
from django.urls import reverse

from certification.choices import ApplicationStatus
from certification.models import AuditEvent

from . import factories, stages
from .web import login, main_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(client):
    c = stages.cast()
    application = stages.in_corrections(c)
    task = stages.open_task(application, stages.flow.corrections)
    login(client, c.applicant)
    return c, application, reverse("corrections", args=[task.pk])


def test_unchanged_send_shows_the_requests_and_sends_nothing(client, returned):
    _c, application, url = returned

    response = client.post(url, {"action": "send", "answer-answer": "  "})

    page = html.unescape(main_part(response.content.decode()))
    assert response.status_code == 200
    assert "<h1>Send without any change?</h1>" in page
    assert "You have not replaced or added any document and have not written an answer." in page
    assert "Odpis z KRS jest nieaktualny." in page  # the reviewer's defect, repeated
    deadline = application.corrections_deadline or application.reviews.get().deadline
    assert f"You have until {deadline.day} " in page
    assert 'name="confirmed"' in page
    assert f'href="{url}"' in page  # back to correct, without sending
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CORRECTIONS
    assert not AuditEvent.objects.filter(action="application.corrected").exists()


def test_confirmed_unchanged_send_goes(client, returned):
    _c, application, url = returned

    response = client.post(
        url, {"action": "send", "answer-answer": "", "confirmed": "1"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_answer_is_sent_without_asking(client, returned):
    _c, application, url = returned
    client.post(url, {"action": "send", "answer-answer": "Odpis jest aktualny, patrz data."})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_new_document_is_sent_without_asking(client, returned):
    c, application, url = returned
    defect = application.reviews.get().defects.get().document
    client.post(
        url,
        {
            "action": "replace",
            "document": defect.pk,
            f"replace-{defect.pk}-file": factories.pdf_upload("odpis-nowy.pdf"),
        },
    )
    assert (
        application.documents.count() > 0
        and not defect.__class__.objects.get(pk=defect.pk).is_current
    )

    client.post(url, {"action": "send", "answer-answer": ""})

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
