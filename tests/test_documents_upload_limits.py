"""Size limits (per file, per application) and the names users give their files."""

import io
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation

from certification.domain import documents
from certification.domain.errors import DomainError
from certification.domain.file_checks import CheckedFile, display_name
from certification.models import Document, DocumentType

from . import factories, stages
from .web import login

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class GeneratedBody(io.RawIOBase):
    """A multipart body made up while it is read: a huge upload without holding it anywhere."""

    def __init__(self, head: bytes, size: int, tail: bytes):
        self.pieces = iter([head, *self._filler(size), tail])
        self.pending = b""

    @staticmethod
    def _filler(size: int):
        yield b"%PDF-1.7\n"
        left = size - 9
        block = b"0" * MB
        while left > 0:
            yield block[: min(left, MB)]
            left -= MB

    def readable(self):
        return True

    def readinto(self, buffer):
        while not self.pending:
            self.pending = next(self.pieces, None)
            if self.pending is None:
                self.pending = b""
                return 0
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


def post_huge_file(client, url: str, fields: dict, file_field: str, name: str, size: int):
    boundary = "granica-8b1f"
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=url,
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(head) + size + len(tail)),
        **{"wsgi.input": io.BufferedReader(GeneratedBody(head, size, tail), MB)},
    )


def statute_slot() -> str:
    return f"t{DocumentType.objects.get(code='statute').pk}"


def test_file_over_the_limit_is_refused_with_both_sizes(client, settings, draft, media_files):
    settings.MAX_DOCUMENT_SIZE = 64 * 1024
    content = factories.pdf_bytes("duży") + b"%" * 100 * 1024  # 100 KB and more
    slot = statute_slot()
    response = client.post(
        reverse("application_documents", args=[draft.pk]),
        {"slot": slot, f"{slot}-file": SimpleUploadedFile("duzy.pdf", content)},
    )

    page = response.content.decode()
    with translation.override("en"):
        size, limit = filesizeformat(len(content)), filesizeformat(64 * 1024)
    assert f"The file is too large ({size}); the limit is {limit} per file." in page
    assert not Document.objects.exists()
    assert media_files() == []


def test_200_mb_upload_is_refused_without_being_kept(
    client, settings, draft, tmp_path, media_files
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    slot = statute_slot()
    url = reverse("application_documents", args=[draft.pk])

    tracemalloc.start()
    try:
        response = post_huge_file(client, url, {"slot": slot}, f"{slot}-file", "skan.pdf", 200 * MB)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 200
    with translation.override("en"):
        size, limit = filesizeformat(200 * MB), filesizeformat(settings.MAX_DOCUMENT_SIZE)
    assert f"The file is too large ({size}); the limit is {limit} per file." in (
        response.content.decode()
    )
    assert peak < 30 * MB  # never the whole file in memory
    assert list((tmp_path / "uploads").iterdir()) == []  # nor on disk
    assert not Document.objects.exists()
    assert media_files() == []


def test_total_per_application_is_enforced_with_a_clear_message(
    client, settings, draft, media_files
):
    first = factories.pdf_bytes("statut")
    second = factories.pdf_bytes("sprawozdanie finansowe")
    settings.MAX_APPLICATION_DOCUMENTS_SIZE = len(first) + len(second) - 1
    types = {t.code: t for t in DocumentType.objects.all()}
    slot = f"t{types['statute'].pk}"
    client.post(
        reverse("application_documents", args=[draft.pk]),
        {"slot": slot, f"{slot}-file": SimpleUploadedFile("statut.pdf", first)},
    )
    slot = f"t{types['financial_statement'].pk}"
    response = client.post(
        reverse("application_documents", args=[draft.pk]),
        {"slot": slot, f"{slot}-file": SimpleUploadedFile("sprawozdanie.pdf", second)},
    )

    page = response.content.decode()
    with translation.override("en"):
        limit = filesizeformat(settings.MAX_APPLICATION_DOCUMENTS_SIZE)
        total = filesizeformat(len(first) + len(second))
    assert f"All files of an application together may take up to {limit}; with this one " in page
    assert f"they would take {total}." in page
    assert f'id="id_{slot}-file_error"' in page
    assert list(draft.documents.values_list("original_name", flat=True)) == ["statut.pdf"]
    assert len(media_files()) == 1


def test_replacing_a_document_counts_the_new_version_instead_of_the_old(settings):
    c = stages.cast()
    application = stages.in_corrections(c)
    old = application.documents.get(original_name="krs_extract.pdf")
    new = factories.pdf_bytes("krs_extract 2026")
    current = sum(d.size for d in application.documents.filter(superseded_by__isnull=True))
    # Exactly full once the old version stops counting.
    settings.MAX_APPLICATION_DOCUMENTS_SIZE = current - old.size + len(new)

    documents.add_document(
        application=application,
        user=c.applicant,
        document_type=old.document_type,
        uploaded=SimpleUploadedFile("odpis-krs.pdf", new),
        replaces=old,
    )

    old.refresh_from_db()
    assert old.superseded_by.original_name == "odpis-krs.pdf"


# --- names ------------------------------------------------------------------------------


def attach(application, name: str, content: bytes | None = None) -> Document:
    with translation.override("en"):
        return documents.add_document(
            application=application,
            user=application.created_by,
            document_type=DocumentType.objects.get(code="statute"),
            uploaded=SimpleUploadedFile(name, content or factories.pdf_bytes(name)),
        )


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/statut.pdf", "statut.pdf"),
        ("..\\..\\Windows\\System32\\statut.pdf", "statut.pdf"),
        ("C:\\Users\\Ania\\Pulpit\\Statut spółdzielni.PDF", "Statut spółdzielni.pdf"),
        ("Статут організації (скан).pdf", "Статут організації (скан).pdf"),
        ("章程.pdf", "章程.pdf"),
        ("sprawozdanie\x00\x1b[2J\r\n.pdf", "sprawozdanie[2J.pdf"),
        ("faktura\u202efdp.exe", "fakturafdp.exe.pdf"),  # a right-to-left trick, and no .pdf
        ("statut", "statut.pdf"),
        ("   .pdf", "document.pdf"),
    ],
)
def test_file_name_is_kept_for_display_only_and_made_safe(settings, given, shown):
    application = factories.draft_application(complete=False)
    document = attach(application, given)

    assert document.original_name == shown
    # The stored object's key never holds the user's name.
    assert document.file.name.startswith(f"applications/{application.pk}/")
    assert document.file.name.endswith(".pdf")
    assert ".." not in document.file.name and "statut" not in document.file.name.lower()


@pytest.mark.parametrize("given", ["..", "", None, "\x00\x01", "/"])
def test_name_with_nothing_left_is_called_document(given):
    checked = CheckedFile("application/pdf", ".pdf", "0" * 64, 10)
    with translation.override("en"):
        assert display_name(given, checked) == "document.pdf"


def test_very_long_name_is_shortened_keeping_the_extension():
    application = factories.draft_application(complete=False)
    document = attach(application, "Sprawozdanie finansowe " * 20 + ".pdf")
    assert len(document.original_name) == 150
    assert document.original_name.endswith("….pdf")
    assert document.original_name.startswith("Sprawozdanie finansowe Sprawozdanie")


def test_non_latin_name_comes_back_on_download(client):
    user = factories.applicant()
    application = factories.draft_application(user=user, complete=False)
    document = attach(application, "Статут – żółć.pdf")
    login(client, user)

    response = client.get(reverse("document_download", args=[document.pk]))

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''%D0%A1%D1%82%D0%B0%D1%82%D1%83%D1%82" in disposition


def test_unknown_name_is_refused_only_for_content_not_name():
    application = factories.draft_application(complete=False)
    with pytest.raises(DomainError) as caught, translation.override("en"):
        attach(application, "statut.pdf", b"MZ" + b"\x00" * 100)
    assert "Only PDF, JPEG and PNG files are accepted" in str(caught.value)
    assert caught.value.field == "file"
