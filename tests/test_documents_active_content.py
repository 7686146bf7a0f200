"""Files that could act on the reviewer's computer are refused with the reason, and nothing of
them is kept: PDFs with JavaScript, actions or hidden files, and files that are a web page too.

Each hostile file is made here with pypdf, the way such files are made by hand."""

import io
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from certification.models import AuditEvent, Document

from .uploads import assert_refused_beside_field, upload_page

pytestmark = pytest.mark.django_db

JAVASCRIPT = "The PDF contains JavaScript, a program that could run on the computer of whoever"
ACTION = "The PDF contains an action that starts a program or sends data when the file is opened."
EMBEDDED = "The PDF has other files hidden inside it; attach each document as a file of its own."
XFA = "The PDF is an XFA form, which can hold scripts and which most programs cannot show."
HTML = "The file contains web page code (HTML) besides the document, so a browser could run it"
BEFORE = "The file has other content in front of the PDF, which a browser or another program"
AGAIN = "Save the document again as a plain PDF (e.g. print it to PDF) and attach the new file."


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _writer() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def _action(kind: str, **entries) -> DictionaryObject:
    action = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return action


def js_in_open_action() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS="app.alert(1)")
    return _write(writer)


def js_in_page_additional_actions() -> bytes:
    writer = _writer()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): _action("/JavaScript", JS="app.alert(2)")}
    )
    return _write(writer)


def js_in_names_tree() -> bytes:
    # Document-level scripts: /Names → /JavaScript → a name tree of actions, run on opening.
    writer = _writer()
    script = writer._add_object(_action("/JavaScript", JS="app.alert(3)"))
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("start"), script])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _write(writer)


def launch_action() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/OpenAction")] = _action("/Launch", F="cmd.exe")
    return _write(writer)


def js_behind_a_link_chain() -> bytes:
    # A harmless-looking link whose /Next action runs a script.
    writer = _writer()
    link = _action("/URI", URI="https://example.org/")
    link[NameObject("/Next")] = _action("/JavaScript", JS="app.alert(4)")
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 100, 30)]),
            NameObject("/A"): link,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _write(writer)


def embedded_file() -> bytes:
    writer = _writer()
    writer.add_attachment("faktura.exe", b"MZ\x90\x00 not a document")
    return _write(writer)


def xfa_form() -> bytes:
    writer = _writer()
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
        }
    )
    return _write(writer)


def clean_pdf_with_links() -> bytes:
    # What a real letter has: it opens on page 1 fitted to the window, and links to a website.
    writer = _writer()
    page = writer.pages[0]
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/Fit")]
    )
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(n) for n in (10, 10, 100, 30)]),
            NameObject("/A"): _action("/URI", URI="https://www.rops-katowice.pl/"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    writer.add_metadata({"/Title": "List polecający"})
    return _write(writer)


HTML_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/wnioskodawca/')</script></body></html>\n"


def png_with_html_in_text_chunk() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 60)).save(buffer, "PNG")
    png = buffer.getvalue()
    text = b"Comment\x00<html><script>alert(5)</script></html>"
    chunk = (
        len(text).to_bytes(4, "big")
        + b"tEXt"
        + text
        + zlib.crc32(b"tEXt" + text).to_bytes(4, "big")
    )
    # Right after the IHDR chunk (8 + 25 bytes), as any PNG writer puts its text.
    return png[:33] + chunk + png[33:]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (js_in_open_action(), JAVASCRIPT),
        (js_in_page_additional_actions(), JAVASCRIPT),
        (js_in_names_tree(), JAVASCRIPT),
        (js_behind_a_link_chain(), JAVASCRIPT),
        (launch_action(), ACTION),
        (embedded_file(), EMBEDDED),
        (xfa_form(), XFA),
        (HTML_PAGE + clean_pdf_with_links(), BEFORE),
        (clean_pdf_with_links() + HTML_PAGE, HTML),
        (clean_pdf_with_links().replace(b"%%EOF", b"%<svg onload=alert(6)>\n%%EOF"), HTML),
    ],
    ids=[
        "js-open-action",
        "js-page-aa",
        "js-names",
        "js-link-next",
        "launch",
        "embedded-file",
        "xfa",
        "html-before-pdf",
        "html-after-pdf",
        "svg-in-comment",
    ],
)
def test_active_pdf_is_refused_with_the_reason_and_nothing_is_kept(
    client, draft, content, reason, media_files
):
    audit_before = AuditEvent.objects.count()

    response, slot = upload_page(client, draft, content)

    assert_refused_beside_field(response, slot, reason)
    assert AGAIN in response.content.decode()
    assert not Document.objects.exists()
    assert media_files() == []
    assert AuditEvent.objects.count() == audit_before


def test_image_carrying_a_web_page_is_refused(client, draft, media_files):
    response, slot = upload_page(client, draft, png_with_html_in_text_chunk(), name="foto.png")
    assert_refused_beside_field(response, slot, HTML)
    assert not Document.objects.exists()
    assert media_files() == []


def test_svg_with_a_script_is_not_accepted_as_an_image(client, draft, media_files):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(7)</script></svg>'
    response, slot = upload_page(client, draft, svg, name="logo.svg")
    assert_refused_beside_field(
        response, slot, "Only PDF, JPEG and PNG files are accepted; this file is none of them."
    )
    assert media_files() == []


def test_clean_pdf_with_an_open_view_and_a_web_link_is_accepted(client, draft):
    response, _slot = upload_page(client, draft, clean_pdf_with_links())
    assert "“statut.pdf” has been attached." in response.content.decode()
    assert draft.documents.get().content_type == "application/pdf"


def test_polish_applicant_reads_the_reason_in_polish(client, draft):
    client.cookies["django_language"] = "pl"
    response, _slot = upload_page(client, draft, js_in_open_action())
    page = response.content.decode()
    assert "JavaScript" in page
    assert "The PDF contains JavaScript" not in page
