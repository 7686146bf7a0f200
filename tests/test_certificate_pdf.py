"""The certificate PDF as issued by the flow: its text, its QR code, its fonts, its checksum."""

import hashlib
import shutil
import subprocess

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certification.domain.certificates import number_to_slug

from . import stages

pytestmark = pytest.mark.django_db


def needs(binary: str, package: str):
    return pytest.mark.skipif(
        shutil.which(binary) is None,
        reason=f"`{binary}` is not installed (Debian package {package})",
    )


@pytest.fixture
def issued(settings):
    # A public address unlike the default, so the test shows the QR follows the setting.
    settings.SITE_URL = "https://zakup-prospoleczny.example.pl"
    return stages.certified(stages.cast())


@pytest.fixture
def pdf_path(issued, tmp_path):
    path = tmp_path / "certificate.pdf"
    with issued.pdf.open("rb") as stored:
        path.write_bytes(stored.read())
    return path


@needs("pdftotext", "poppler-utils")
def test_certificate_pdf_text_has_number_holder_nip_and_items(issued, pdf_path):
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, check=True, text=True
    ).stdout
    organization = issued.organization
    assert issued.number in text
    assert organization.name in text
    assert "„Żółć" in organization.name  # the Polish letters are really under test
    assert organization.nip in text
    assert organization.krs in text
    items = list(issued.items.all())
    assert items
    for item in items:
        assert item.name in text
    assert issued.valid_until.strftime("%d.%m.%Y") in text


@needs("pdftoppm", "poppler-utils")
@needs("zbarimg", "zbar-tools")
def test_certificate_pdf_qr_code_leads_to_the_verification_page(issued, pdf_path, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"]
        + [str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()
    expected = "https://zakup-prospoleczny.example.pl" + reverse(
        "verify_number", kwargs={"slug": number_to_slug(issued.number)}
    )
    assert decoded == [expected]


def _fonts(resources, seen=None):
    """Every font dictionary reachable from a page's resources, form XObjects included."""
    seen = seen if seen is not None else set()
    resources = resources.get_object() if resources is not None else {}
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        stream = xobject.get_object()
        if id(stream) in seen:
            continue
        seen.add(id(stream))
        if stream.get("/Subtype") == "/Form":
            yield from _fonts(stream.get("/Resources"), seen)


def _descriptors(font):
    if "/FontDescriptor" in font:
        yield font["/FontDescriptor"].get_object()
    for descendant in font.get("/DescendantFonts") or []:
        yield from _descriptors(descendant.get_object())


def test_certificate_pdf_embeds_its_fonts(pdf_path):
    reader = PdfReader(pdf_path)
    fonts = [font for page in reader.pages for font in _fonts(page.get("/Resources"))]
    assert fonts, "the certificate has no text fonts at all"
    for font in fonts:
        descriptors = list(_descriptors(font))
        assert descriptors, f"font {font.get('/BaseFont')} has no descriptor"
        for descriptor in descriptors:
            embedded = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())
            assert embedded, f"font {font.get('/BaseFont')} is not embedded"


def test_certificate_pdf_checksum_matches_the_stored_file(issued):
    with issued.pdf.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-")
    assert issued.pdf_sha256 == hashlib.sha256(content).hexdigest()


def test_certificate_pdf_is_one_page_with_a_title(pdf_path, issued):
    reader = PdfReader(pdf_path)
    assert len(reader.pages) == 1
    assert issued.number in reader.metadata.title
