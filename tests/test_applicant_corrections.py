"""The corrections loop through the applicant's pages: replace a document, send it back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.choices import ApplicationStatus
from certification.models import Document, DocumentType
from workflows.queries import open_tasks_of

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned():
    c = stages.cast()
    application = stages.in_corrections(c)
    application.refresh_from_db()
    defect_document = application.reviews.get().defects.get().document
    return c, application, defect_document


def test_corrections_loop_replaces_document_keeps_old_and_resubmits(client, returned):
    c, application, old = returned
    login(client, c.applicant)

    listing = client.get(reverse("my_applications")).content.decode()
    assert reverse("corrections_start", args=[application.pk]) in listing

    response = client.get(reverse("corrections_start", args=[application.pk]), follow=True)
    task = stages.open_task(application, stages.flow.corrections)
    assert response.redirect_chain[-1][0] == reverse("corrections", args=[task.pk])
    page = response.content.decode()
    assert "Odpis z KRS jest nieaktualny." in page
    assert old.original_name in page
    assert f"Send the corrections by {application.corrections_deadline:%-d %B %Y}." in page

    url = reverse("corrections", args=[task.pk])
    response = client.post(
        url,
        {
            "action": "replace",
            "document": old.pk,
            f"replace-{old.pk}-file": factories.pdf_upload("odpis-krs-2026.pdf"),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "has been replaced with “odpis-krs-2026.pdf”; the old version is kept." in page
    assert "Earlier versions (kept):" in page
    assert f'href="{reverse("document_download", args=[old.pk])}"' in page
    old.refresh_from_db()
    new = Document.objects.get(original_name="odpis-krs-2026.pdf")
    assert old.superseded_by == new
    assert new.document_type == old.document_type
    assert client.get(reverse("document_download", args=[old.pk])).status_code == 200

    response = client.post(
        url, {"action": "send", "answer-answer": "Załączyliśmy aktualny odpis."}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("application_detail", args=[application.pk])
    page = response.content.decode()
    assert "The corrected application has been sent." in page
    assert "Corrected application sent back" in page
    assert "Document replaced with a new version" in page
    assert "Earlier versions (kept):" in page and old.original_name in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert [t.flow_task for t in open_tasks_of(application)] == [stages.flow.formal_review]
    assert application.reviews.get().answer == "Załączyliśmy aktualny odpis."
    assert application.documents.count() == 8  # seven current, one kept old version

    # The task is done: its page is gone, and a second send says so.
    assert client.get(url).status_code == 404
    response = client.get(reverse("corrections_start", args=[application.pk]), follow=True)
    assert "This application is not waiting for corrections now." in response.content.decode()


def test_corrections_wrong_file_type_shows_message_beside_field(client, returned):
    c, application, old = returned
    login(client, c.applicant)
    task = stages.open_task(application, stages.flow.corrections)
    fake = SimpleUploadedFile("odpis.pdf", b"<!DOCTYPE html><p>nie PDF</p>", "application/pdf")
    response = client.post(
        reverse("corrections", args=[task.pk]),
        {"action": "replace", "document": old.pk, f"replace-{old.pk}-file": fake},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_replace-{old.pk}-file_error">Only PDF, JPEG and PNG files are accepted' in page
    assert f'<a href="#id_replace-{old.pk}-file">' in page
    old.refresh_from_db()
    assert old.is_current
    assert application.documents.count() == 7


def test_corrections_replace_any_other_document_from_list(client, returned):
    c, application, _old = returned
    login(client, c.applicant)
    task = stages.open_task(application, stages.flow.corrections)
    statute = application.documents.get(original_name="statute.pdf")
    response = client.post(
        reverse("corrections", args=[task.pk]),
        {
            "action": "replace_other",
            "other-document": statute.pk,
            "other-file": factories.pdf_upload("statut-2026.pdf"),
        },
        follow=True,
    )
    assert "“statute.pdf” has been replaced with “statut-2026.pdf”" in response.content.decode()
    statute.refresh_from_db()
    assert statute.superseded_by.original_name == "statut-2026.pdf"


def test_corrections_add_missing_document(client, returned):
    c, application, _old = returned
    login(client, c.applicant)
    task = stages.open_task(application, stages.flow.corrections)
    other = DocumentType.objects.get(code="other")
    response = client.post(
        reverse("corrections", args=[task.pk]),
        {
            "action": "add",
            "add-document_type": other.pk,
            "add-item": "",
            "add-file": factories.pdf_upload("oswiadczenie.pdf"),
        },
        follow=True,
    )
    assert "“oswiadczenie.pdf” has been attached." in response.content.decode()
    assert application.documents.filter(original_name="oswiadczenie.pdf").exists()


def test_corrections_page_of_another_organisation_is_404(client, returned):
    c, application, old = returned
    task = stages.open_task(application, stages.flow.corrections)
    login(client, factories.applicant())
    url = reverse("corrections", args=[task.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"action": "send", "answer-answer": "x"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CORRECTIONS


def test_corrections_page_for_wrong_task_node_is_404(client):
    c = stages.cast()
    application = stages.submitted(c)
    review_task = stages.open_task(application, stages.flow.formal_review)
    login(client, c.applicant)
    assert client.get(reverse("corrections", args=[review_task.pk])).status_code == 404


def test_detail_after_refusal_shows_decision_and_history(client):
    c = stages.cast()
    application = stages.awaiting_decision(c)
    stages.resolve(c, application, grant=False)
    login(client, c.applicant)
    page = client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert "Refused by the jury" in page
    assert "The jury's decision" in page
    assert "Kapituła oceniła wniosek." in page
    assert "Jury resolution: mark refused" in page
    # Jurors' individual steps stay confidential.
    assert "A juror submitted a scorecard" not in page
    for juror in c.jurors:
        if juror.get_full_name() != c.applicant.get_full_name():
            assert juror.get_full_name() not in page
