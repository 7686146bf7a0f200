"""A draft filled in through the applicant's pages, checked and submitted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.choices import ApplicationStatus
from certification.models import Application, DocumentType
from workflows.queries import open_tasks_of

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db


def start_draft(client, user) -> Application:
    organization = user.organizations.get()
    response = client.post(reverse("application_create", args=[organization.pk]), follow=True)
    application = organization.applications.get()
    assert response.redirect_chain[-1][0] == reverse("application_edit", args=[application.pk])
    return application


def upload(client, application, code, *, item=None, name=None, upload_file=None):
    doc_type = DocumentType.objects.get(code=code)
    slot = f"t{doc_type.pk}" + (f"-i{item.pk}" if item else "")
    return client.post(
        reverse("application_documents", args=[application.pk]),
        {"slot": slot, f"{slot}-file": upload_file or factories.pdf_upload(name or f"{slot}.pdf")},
        follow=True,
    )


def fill_questionnaire(client, application):
    return client.post(
        reverse("application_questionnaire", args=[application.pk]),
        {
            "social_goals": "Zatrudniamy osoby po kryzysie bezdomności.",
            "employees_total": "10",
            "employees_at_risk": "6",
            "own_revenue_percent": "45,5",
        },
        follow=True,
    )


def add_item(client, application, name):
    factories.cpv_vocabulary()
    return client.post(
        reverse("application_items", args=[application.pk]),
        {
            "name": name,
            "kind": "product",
            "description": "Ręcznie szyte torby z plandek.",
            "cpv": "39500000-7",  # textile articles
        },
        follow=True,
    )


def complete_draft(client, application):
    fill_questionnaire(client, application)
    add_item(client, application, "Torba „Plandeka”")
    add_item(client, application, "Usługa szycia")
    for item in application.items.all():
        for n in range(2):
            upload(client, application, "recommendation", item=item, name=f"rek-{item.pk}-{n}.pdf")
    for code in ("krs_extract", "statute", "financial_statement"):
        upload(client, application, code)


def test_fill_draft_through_pages_then_submit(client):
    user = factories.applicant()
    login(client, user)
    application = start_draft(client, user)

    page = client.get(reverse("application_edit", args=[application.pk])).content.decode()
    assert "You have completed 1 of 4 sections." in page  # only the organisation is done
    assert page.count("Not completed") == 3

    response = fill_questionnaire(client, application)
    assert "The questionnaire has been saved." in response.content.decode()
    application.refresh_from_db()
    assert str(application.own_revenue_percent) == "45.50"

    add_item(client, application, "Torba „Plandeka”")
    response = add_item(client, application, "Usługa szycia")
    page = response.content.decode()
    assert "Torba „Plandeka”" in page and "Usługa szycia" in page
    assert application.items.count() == 2

    check = client.get(reverse("application_check", args=[application.pk])).content.decode()
    assert "What still stops the submission" in check
    assert "Attach: Statute." in check
    assert "Recommendation letter for “Usługa szycia”: 0 of 2 attached." in check

    for item in application.items.all():
        for n in range(2):
            response = upload(
                client, application, "recommendation", item=item, name=f"rek-{item.pk}-{n}.pdf"
            )
            assert f"“rek-{item.pk}-{n}.pdf” has been attached." in response.content.decode()
    upload(client, application, "krs_extract")
    upload(client, application, "statute")
    check = client.get(reverse("application_check", args=[application.pk])).content.decode()
    assert "Attach: Financial statement for the last accounting period." in check
    assert "Attach: Statute." not in check

    response = upload(client, application, "financial_statement")
    assert "All required documents are attached." in response.content.decode()
    check = client.get(reverse("application_check", args=[application.pk])).content.decode()
    assert "What still stops the submission" not in check
    assert "Zatrudniamy osoby po kryzysie bezdomności." in check
    assert "Torba „Plandeka”" in check
    page = client.get(reverse("application_edit", args=[application.pk])).content.decode()
    assert "You have completed 4 of 4 sections." in page
    assert "Ready to submit" in page

    response = client.post(reverse("application_submit", args=[application.pk]), follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert response.redirect_chain[-1][0] == reverse("application_submitted", args=[application.pk])
    page = response.content.decode()
    assert "Application submitted" in page
    assert application.number and application.number in page
    assert "What happens next" in page
    assert "within 90 days (about 3 months)" in page
    assert [t.flow_task for t in open_tasks_of(application)] == [stages.flow.formal_review]


def test_double_submit_shows_message_not_error(client):
    user = factories.applicant()
    login(client, user)
    application = start_draft(client, user)
    complete_draft(client, application)
    url = reverse("application_submit", args=[application.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert f"This application has already been submitted as {application.number}." in (
        response.content.decode()
    )
    assert application.process.task_set.count() == 2  # start and one formal review, not two


def test_submit_empty_application_lists_what_is_missing(client):
    user = factories.applicant()
    login(client, user)
    application = start_draft(client, user)
    response = client.post(reverse("application_submit", args=[application.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("application_check", args=[application.pk])
    page = response.content.decode()
    assert "The application is not complete yet" in page
    assert "Describe your social goals." in page
    assert "Name at least one product or service to certify." in page
    assert "Attach: Statute." in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not application.number


def test_upload_html_renamed_pdf_shows_message_beside_field(client):
    user = factories.applicant()
    login(client, user)
    application = start_draft(client, user)
    fake = SimpleUploadedFile("statut.pdf", b"<html><body>hi</body></html>", "application/pdf")
    response = upload(client, application, "statute", upload_file=fake)
    assert response.status_code == 200
    page = response.content.decode()
    slot = f"t{DocumentType.objects.get(code='statute').pk}"
    message = "Only PDF, JPEG and PNG files are accepted; this file is none of them."
    assert f'<p class="error-message" id="id_{slot}-file_error">{message}</p>' in page
    assert f'<a href="#id_{slot}-file">' in page
    assert not application.documents.exists()


def test_upload_without_file_asks_for_one(client):
    user = factories.applicant()
    login(client, user)
    application = start_draft(client, user)
    doc_type = DocumentType.objects.get(code="statute")
    response = client.post(
        reverse("application_documents", args=[application.pk]), {"slot": f"t{doc_type.pk}"}
    )
    assert "Choose a file to upload." in response.content.decode()


def test_questionnaire_more_at_risk_than_employed_shows_domain_message(client):
    user = factories.applicant()
    login(client, user)
    application = start_draft(client, user)
    response = client.post(
        reverse("application_questionnaire", args=[application.pk]),
        {
            "social_goals": "Cele.",
            "employees_total": "2",
            "employees_at_risk": "5",
            "own_revenue_percent": "50",
        },
    )
    page = response.content.decode()
    assert 'id="id_employees_at_risk_error">People at risk of exclusion cannot outnumber' in page
    application.refresh_from_db()
    assert application.social_goals == ""


def test_remove_item_and_document_in_draft(client):
    user = factories.applicant()
    login(client, user)
    application = start_draft(client, user)
    add_item(client, application, "Torba")
    item = application.items.get()
    upload(client, application, "recommendation", item=item, name="rek.pdf")
    upload(client, application, "statute", name="statut.pdf")
    statute = application.documents.get(original_name="statut.pdf")
    client.post(reverse("application_document_remove", args=[application.pk, statute.pk]))
    assert not application.documents.filter(pk=statute.pk).exists()
    url = reverse("application_item_remove", args=[application.pk, item.pk])
    assert "Its 1 document will be removed too." in client.get(url).content.decode()
    client.post(url)
    assert not application.items.exists()
    assert not application.documents.exists()


def test_editing_after_submission_shows_message_and_changes_nothing(client):
    user = factories.applicant()
    application = factories.draft_application(user=user)
    from workflows import services

    services.submit(application=application, user=user)
    login(client, user)
    response = client.post(
        reverse("application_questionnaire", args=[application.pk]),
        {
            "social_goals": "Zmienione.",
            "employees_total": "1",
            "employees_at_risk": "0",
            "own_revenue_percent": "99",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("application_detail", args=[application.pk])
    assert "This application has been submitted and can no longer be edited." in (
        response.content.decode()
    )
    response = add_item(client, application, "Nowa rzecz")
    assert "can no longer be edited" in response.content.decode()
    application.refresh_from_db()
    assert application.social_goals == "Zatrudniamy osoby wychodzące z bezdomności."
    assert application.items.count() == 2
