"""Several files in one upload, all or none; one letter may count for several products."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.domain import applications, documents
from certification.domain.errors import DomainError
from certification.models import AuditEvent, Document, DocumentType

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_item(client):
    user = factories.applicant()
    application = factories.draft_application(user=user, complete=False)
    items = [
        applications.add_item(
            application=application,
            user=user,
            name=name,
            kind="service",
            description="Catering na spotkania.",
        )
        for name in ("Catering", "Sprzątanie")
    ]
    login(client, user)
    return user, application, items


def letter_slot(item) -> str:
    return f"t{DocumentType.objects.get(code='recommendation').pk}-i{item.pk}"


def post_files(client, application, slot, uploads):
    return client.post(
        reverse("application_documents", args=[application.pk]),
        {"slot": slot, f"{slot}-file": uploads},
        follow=True,
    )


def test_three_letters_in_one_upload_are_all_attached(client, with_item, media_files):
    _user, application, (catering, _other) = with_item
    slot = letter_slot(catering)
    page = client.get(reverse("application_documents", args=[application.pk])).content.decode()
    assert f'name="{slot}-file"' in page
    assert "multiple" in page.split(f'name="{slot}-file"')[1].split(">")[0]

    uploads = [factories.pdf_upload(f"list-{n}.pdf") for n in range(3)]
    response = post_files(client, application, slot, uploads)

    assert response.redirect_chain[-1][0].endswith(f"#{slot}")
    names = sorted(d.original_name for d in catering.documents.all())
    assert names == ["list-0.pdf", "list-1.pdf", "list-2.pdf"]
    assert AuditEvent.objects.filter(action="document.added").count() == 3
    assert len(media_files()) == 3
    page = response.content.decode()
    for name in names:
        assert f"“{name}” has been attached." in html.unescape(page)


def test_one_bad_file_is_named_and_none_of_the_upload_is_kept(client, with_item, media_files):
    _user, application, (catering, _other) = with_item
    slot = letter_slot(catering)
    before = stages.db_state(application)
    uploads = [
        factories.pdf_upload("dobry.pdf"),
        SimpleUploadedFile("zly.pdf", b"<html>nie PDF</html>", content_type="application/pdf"),
        factories.pdf_upload("tez-dobry.pdf"),
    ]

    response = post_files(client, application, slot, uploads)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert (
        "“zly.pdf”: Only PDF, JPEG and PNG files are accepted; this file is none of them. "
        "None of the 3 files chosen has been saved" in page
    )
    assert stages.db_state(application) == before
    assert not media_files()


def test_a_file_refused_after_others_were_stored_leaves_no_stored_bytes(
    client, with_item, media_files
):
    """The same bytes twice in one upload: the second is refused once the first is already in
    the store; the first is removed again (as on S3: the store is not part of the transaction)."""
    _user, application, (catering, _other) = with_item
    slot = letter_slot(catering)
    content = factories.pdf_bytes("ten sam list")
    uploads = [
        factories.pdf_upload("inny.pdf"),
        SimpleUploadedFile("a.pdf", content, content_type="application/pdf"),
        SimpleUploadedFile("b.pdf", content, content_type="application/pdf"),
    ]

    response = post_files(client, application, slot, uploads)

    page = html.unescape(response.content.decode())
    assert "“b.pdf”: This very file is already attached to “Catering”." in page
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.added").exists()
    assert not media_files()


def test_one_letter_counts_for_two_products_but_not_twice_for_one(with_item):
    user, application, (catering, cleaning) = with_item
    letter = DocumentType.objects.get(code="recommendation")
    content = factories.pdf_bytes("list polecający dla obu usług")

    def attach(item):
        return documents.add_document(
            application=application,
            user=user,
            document_type=letter,
            item=item,
            uploaded=SimpleUploadedFile("list.pdf", content, content_type="application/pdf"),
        )

    first, second = attach(catering), attach(cleaning)

    assert (first.item, second.item) == (catering, cleaning)
    assert first.sha256 == second.sha256
    with pytest.raises(DomainError, match="already attached to “Sprzątanie”"):
        attach(cleaning)
    assert Document.objects.count() == 2


def test_replacing_asks_for_one_file(with_item):
    user, application, (catering, _other) = with_item
    letter = DocumentType.objects.get(code="recommendation")
    old = documents.add_document(
        application=application,
        user=user,
        document_type=letter,
        item=catering,
        uploaded=factories.pdf_upload("stary.pdf"),
    )
    with pytest.raises(DomainError, match="replaced by one new file"):
        documents.add_documents(
            application=application,
            user=user,
            document_type=letter,
            uploads=[factories.pdf_upload("a.pdf"), factories.pdf_upload("b.pdf")],
            replaces=old,
        )


@pytest.mark.s3
def test_on_s3_a_refused_file_removes_the_objects_already_stored(s3_media, with_item):
    """On S3 the store is outside the transaction: the objects of the files stored before the
    refused one are deleted again, not left to reconcile_storage."""
    user, application, (catering, _other) = with_item
    content = factories.pdf_bytes("ten sam list")
    with pytest.raises(DomainError, match="“b.pdf”: This very file is already attached"):
        documents.add_documents(
            application=application,
            user=user,
            document_type=DocumentType.objects.get(code="recommendation"),
            item=catering,
            uploads=[
                factories.pdf_upload("inny.pdf"),
                SimpleUploadedFile("a.pdf", content, content_type="application/pdf"),
                SimpleUploadedFile("b.pdf", content, content_type="application/pdf"),
            ],
        )
    assert not Document.objects.exists()
    assert s3_media.stored() == []
