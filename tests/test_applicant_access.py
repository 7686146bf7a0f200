"""Applicants see only their own organisation's applications and documents; others get 404."""

import pytest
from django.urls import reverse

from certification.domain import documents
from certification.models import AuditEvent, DocumentType

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db


def test_other_organisation_member_gets_404_on_editor_pages(client):
    draft = factories.draft_application()
    document = draft.documents.first()
    item = draft.items.first()
    login(client, factories.applicant())
    for name, args in [
        ("application_edit", [draft.pk]),
        ("application_questionnaire", [draft.pk]),
        ("application_items", [draft.pk]),
        ("application_item_remove", [draft.pk, item.pk]),
        ("application_documents", [draft.pk]),
        ("application_document_remove", [draft.pk, document.pk]),
        ("application_check", [draft.pk]),
        ("application_detail", [draft.pk]),
        ("document_download", [document.pk]),
    ]:
        url = reverse(name, args=args)
        assert client.get(url).status_code == 404, name
        assert client.post(url).status_code == 404, name
    assert client.post(reverse("application_submit", args=[draft.pk])).status_code == 404
    assert draft.items.count() == 2
    assert draft.documents.filter(pk=document.pk).exists()


def test_other_organisation_member_gets_404_on_submitted_application(client):
    c = stages.cast()
    application = stages.in_corrections(c)
    task = stages.open_task(application, stages.flow.corrections)
    login(client, factories.applicant())
    assert client.get(reverse("application_detail", args=[application.pk])).status_code == 404
    assert client.get(reverse("application_submitted", args=[application.pk])).status_code == 404
    assert client.get(reverse("corrections_start", args=[application.pk])).status_code == 404
    assert client.get(reverse("corrections", args=[task.pk])).status_code == 404
    for document in application.documents.all():
        assert client.get(reverse("document_download", args=[document.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_download_own_document_streams_attachment_and_is_audited(client):
    user = factories.applicant()
    draft = factories.draft_application(user=user)
    document = draft.documents.get(original_name="statute.pdf")
    login(client, user)
    response = client.get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="statute.pdf"'
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    event = AuditEvent.objects.get(action="document.downloaded")
    assert event.actor == user
    assert event.application == draft
    assert event.details["document"] == document.pk


def test_download_keeps_polish_original_name(client):
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    document = documents.add_document(
        application=draft,
        user=user,
        document_type=DocumentType.objects.get(code="statute"),
        uploaded=factories.pdf_upload("Statut spółdzielni.pdf"),
    )
    login(client, user)
    response = client.get(reverse("document_download", args=[document.pk]))
    assert "Statut%20sp%C3%B3%C5%82dzielni.pdf" in response["Content-Disposition"]


def test_download_needs_login(client):
    draft = factories.draft_application()
    response = client.get(reverse("document_download", args=[draft.documents.first().pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_officer_downloads_submitted_document_but_not_draft_one(client):
    c = stages.cast()
    submitted = stages.submitted(c)
    draft = factories.draft_application()
    login(client, c.officer)
    document = submitted.documents.first()
    assert client.get(reverse("document_download", args=[document.pk])).status_code == 200
    assert (
        client.get(reverse("document_download", args=[draft.documents.first().pk])).status_code
        == 404
    )


def test_applicant_pages_are_not_for_officers_of_other_organisations(client):
    c = stages.cast()
    application = stages.submitted(c)
    login(client, c.officer)
    # The officer works on staff pages; the applicant's own pages stay the applicant's.
    assert client.get(reverse("application_detail", args=[application.pk])).status_code == 404
