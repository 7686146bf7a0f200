"""The certificate PDF as issued by the flow: its text, its QR code, its fonts, its checksum."""

import base64
import hashlib
import shutil
import subprocess
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from django.urls import reverse
from pypdf import PdfReader

from certification import signing
from certification.domain.certificates import number_to_slug
from certification.pdf import verification_url

from . import stages

pytestmark = pytest.mark.django_db


def needs(binary: str, package: str):
    return pytest.mark.skipif(
        shutil.which(binary) is None,
        reason=f"`{binary}` is not installed (Debian package {package})",
    )


@pytest.fixture
def issued(settings, signing_key_in_tmp):
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


def _decoded_qr(pdf_path, tmp_path) -> list[str]:
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"]
        + [str(pdf_path), str(tmp_path / "page")],
        check=True,
    )
    return subprocess.run(
        # QR codes only: zbar also reads 1-D symbologies, and now and then a line of the page's
        # text rendered at 150 dpi passes for one (a second, spurious "code").
        ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(tmp_path / "page.png")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()


@needs("pdftoppm", "poppler-utils")
@needs("zbarimg", "zbar-tools")
def test_certificate_pdf_qr_code_leads_to_the_verification_page(issued, pdf_path, tmp_path):
    expected = (
        "https://zakup-prospoleczny.example.pl"
        + reverse("verify_number", kwargs={"slug": number_to_slug(issued.number)})
        + "?s="
        + signing.sign(issued)
    )
    assert _decoded_qr(pdf_path, tmp_path) == [expected]
    assert expected == verification_url(issued) and expected.isascii()


@needs("pdftoppm", "poppler-utils")
@needs("zbarimg", "zbar-tools")
def test_certificate_pdf_qr_signature_verifies_with_the_published_key(
    issued, pdf_path, tmp_path, client
):
    [url] = _decoded_qr(pdf_path, tmp_path)
    token = parse_qs(urlsplit(url).query)["s"][0]
    key_id, encoded = token.split(".")
    published = client.get("/klucze/certyfikaty.json").json()
    assert key_id == published["key_id"]
    public_key = serialization.load_pem_public_key(client.get("/klucze/certyfikaty.pem").content)

    # The payload rebuilt from the certificate as a buyer's tool would, per docs/signatures.md.
    def field(text):
        return unicodedata.normalize("NFC", text).replace("%", "%25").replace("|", "%7C")

    fields = [
        "ZP1",
        issued.number,
        issued.organization.nip,
        issued.issued_on.isoformat(),
        issued.valid_until.isoformat(),
        *sorted(field(item.name) for item in issued.items.all()),
    ]
    signature = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    public_key.verify(signature, "|".join(fields).encode("utf-8"))  # raises if it does not hold
    assert signing.verify_signature(issued, token).is_valid


def test_certificate_pdf_prints_the_short_address_under_the_qr_code(issued, pdf_path):
    # The signature is for scanners; people copying the address by hand get the plain page.
    text = "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    printed = "https://zakup-prospoleczny.example.pl" + reverse(
        "verify_number", kwargs={"slug": number_to_slug(issued.number)}
    )
    assert printed in text.replace("\n", "")
    assert "?s=" not in text


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
