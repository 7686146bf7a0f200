"""Documents are judged by their bytes: each bad file gets a clear message beside the field, and
nothing of it is kept (no row, no file in storage, no audit event)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from certification.domain import documents
from certification.domain.errors import DomainError
from certification.models import AuditEvent, Document

from . import factories, stages
from .uploads import assert_refused_beside_field, upload_page
from .web import login

pytestmark = pytest.mark.django_db

WRONG_TYPE = "Only PDF, JPEG and PNG files are accepted; this file is none of them."
PASSWORD = "The PDF is protected with a password, so it cannot be opened."
DAMAGED_PDF = "The PDF file is damaged or incomplete and cannot be opened."
DAMAGED_IMAGE = "The image file is damaged or incomplete and cannot be displayed."


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=user_password, owner_password="wlasciciel", algorithm="AES-256")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str) -> bytes:
    image = Image.new("RGB", (320, 240), (30, 120, 60))
    for x in range(0, 320, 5):
        image.putpixel((x, x % 240), (250, 250, 250))
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (encrypted_pdf("tajne-haslo"), PASSWORD),
        (factories.pdf_bytes("statut")[:300], DAMAGED_PDF),  # cut short
        (b"%PDF-1.7\n" + b"\x00" * 4000, DAMAGED_PDF),  # the header and nothing else
        (b"<!DOCTYPE html><html><body>Statut</body></html>", WRONG_TYPE),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 2000, WRONG_TYPE),
        (image_bytes("PNG")[:200], DAMAGED_IMAGE),
        (image_bytes("JPEG")[:400], DAMAGED_IMAGE),
    ],
    ids=["encrypted", "truncated", "header-only", "html", "exe", "png-cut", "jpeg-cut"],
)
def test_bad_file_named_pdf_is_refused_and_nothing_is_kept(
    client, settings, draft, content, message, media_files
):
    audit_before = AuditEvent.objects.count()

    response, slot = upload_page(client, draft, content)

    assert_refused_beside_field(response, slot, message)
    assert not Document.objects.exists()
    assert media_files() == []
    assert AuditEvent.objects.count() == audit_before


def test_empty_file_is_refused_with_its_own_message(client, settings, draft, media_files):
    response, slot = upload_page(client, draft, b"")
    assert_refused_beside_field(response, slot, "The file is empty.")
    assert not Document.objects.exists()
    assert media_files() == []


def test_pdf_restricted_only_against_printing_opens_and_is_accepted(client, draft):
    # Encrypted with an empty user password: anyone can open and read it, reviewers too.
    response, _slot = upload_page(client, draft, encrypted_pdf(""))
    assert "“statut.pdf” has been attached." in response.content.decode()
    assert draft.documents.get().content_type == "application/pdf"


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_whole_image_is_accepted_as_what_its_bytes_say(client, draft, fmt, content_type):
    # Named .pdf by mistake: the type comes from the bytes, the shown name gets the right ending.
    response, _slot = upload_page(client, draft, image_bytes(fmt), name="zdjecie.pdf")
    document = draft.documents.get()
    assert document.content_type == content_type
    assert document.original_name == f"zdjecie.pdf{'.png' if fmt == 'PNG' else '.jpg'}"
    assert f"“{document.original_name}” has been attached." in response.content.decode()


def test_same_file_twice_is_refused_and_kept_once(client, settings, draft, media_files):
    content = factories.pdf_bytes("statut spółdzielni")
    upload_page(client, draft, content)
    # A double click on "Upload", or the same file chosen again under another name.
    response, slot = upload_page(client, draft, content, name="statut-kopia.pdf")

    assert_refused_beside_field(
        response, slot, "This very file is already attached to the application."
    )
    assert draft.documents.count() == 1
    assert len(media_files()) == 1


def test_replacing_with_the_very_same_file_is_refused():
    c = stages.cast()
    application = stages.in_corrections(c)
    old = application.documents.get(original_name="krs_extract.pdf")
    same = SimpleUploadedFile("krs.pdf", old.file.open("rb").read())
    before = stages.db_state(application)

    with pytest.raises(DomainError) as caught:
        documents.add_document(
            application=application,
            user=c.applicant,
            document_type=old.document_type,
            uploaded=same,
            replaces=old,
        )

    assert "choose the corrected version" in str(caught.value)
    assert stages.db_state(application) == before


def test_upload_after_submission_is_refused_and_nothing_kept(client, settings, media_files):
    c = stages.cast()
    application = stages.submitted(c)
    files_before = media_files()
    before = stages.db_state(application)
    login(client, c.applicant)

    response, _slot = upload_page(client, application, factories.pdf_bytes("spóźniony"))

    assert response.redirect_chain[-1][0] == reverse("application_detail", args=[application.pk])
    assert "This application has been submitted and can no longer be edited." in (
        response.content.decode()
    )
    assert stages.db_state(application) == before
    assert media_files() == files_before


# Pillow warns before it refuses: the warning is the way in, the refusal is what is tested.
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_with_too_many_pixels_is_refused(client, settings, draft, monkeypatch, media_files):
    # Pillow's own limit, lowered so that a small picture stands for a "decompression bomb".
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 320 * 240 - 1)
    response, slot = upload_page(client, draft, image_bytes("PNG"), name="plakat.png")
    assert_refused_beside_field(
        response, slot, "The image has too many pixels; save it at a lower resolution"
    )
    assert media_files() == []
