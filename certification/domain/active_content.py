"""Content in an uploaded file that could act on the reader's computer: scripts and actions in a
PDF, files hidden inside it, and web page code that turns a document into a web page (a
"polyglot"). Reviewers open these files; a document never needs any of it.

Each finder returns what it found as one of the kinds below, or None.
"""

import re
from enum import StrEnum

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


class Active(StrEnum):
    JAVASCRIPT = "javascript"
    ACTION = "action"  # starts a program, sends or fetches data
    EMBEDDED_FILE = "embedded_file"
    XFA = "xfa"
    HTML = "html"
    BEFORE_HEADER = "before_header"


# Action types (PDF 2.0, 12.6.4) that run something or move data; links (/URI) and jumps within
# the document (/GoTo) stay allowed: recommendation letters and statutes have them.
RUNNING_ACTIONS = {
    "/JavaScript": Active.JAVASCRIPT,
    "/Launch": Active.ACTION,
    "/ImportData": Active.ACTION,
    "/SubmitForm": Active.ACTION,
    "/GoToE": Active.EMBEDDED_FILE,
    "/RichMediaExecute": Active.ACTION,
}
# Annotations that carry a file or play interactive content.
ACTIVE_ANNOTATIONS = {"/FileAttachment": Active.EMBEDDED_FILE, "/RichMedia": Active.ACTION}

# A PDF reader takes a file whose header is anywhere in its first 1024 bytes; a browser reading
# the same file as a web page runs what stands before it.
HEADER_WINDOW = 1024
# Markup a browser would act on. Compressed PDF or image data matches these only by chance: a
# tag name of four letters or more followed by a delimiter, about once in 10^12 bytes; the
# short svg and img only with an event handler (onload=, onerror=) in the same tag.
HTML_MARKUP = re.compile(
    rb"<\s*(?:!doctype\s+html|script|html|body|iframe|frame|object|embed|meta|link|form|base"
    rb"|style|xml-stylesheet)[\s>/]"
    rb"|<\s*(?:svg|img)[\s/][^<>]{0,500}?\bon[a-z]+\s*=",
    re.IGNORECASE,
)
# The walk over a PDF's objects stops here (the file size limit bounds it too): a document of
# a few hundred pages has a few thousand objects.
MAX_OBJECTS = 200_000


def junk_before_pdf_header(head: bytes) -> bool:
    """True when '%PDF-' appears in the first 1024 bytes, but not at the very start."""
    return head.find(b"%PDF-", 0, HEADER_WINDOW) > 0


def html_markup(content: bytes) -> Active | None:
    return Active.HTML if HTML_MARKUP.search(content) else None


def _dictionary_finding(value: DictionaryObject) -> Active | None:
    if "/JS" in value:
        return Active.JAVASCRIPT
    action = RUNNING_ACTIONS.get(value.get("/S"))
    if action is not None:
        return action
    annotation = ACTIVE_ANNOTATIONS.get(value.get("/Subtype"))
    if annotation is not None:
        return annotation
    if "/JavaScript" in value:  # the document-level scripts in the /Names tree
        return Active.JAVASCRIPT
    if "/EmbeddedFiles" in value or "/EF" in value or value.get("/Type") == "/EmbeddedFile":
        return Active.EMBEDDED_FILE
    if "/XFA" in value:
        return Active.XFA
    return None


def pdf_active_content(reader: PdfReader) -> Active | None:
    """The first active content reachable from the document's trailer (catalog, /OpenAction,
    /AA of the document, pages, annotations and form fields, /Names, /AcroForm), or None.

    Everything a reader can reach is walked, not a list of known places: an action can hide in
    a /Next chain, a form field or an outline item as well.
    """
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        visited += 1
        if visited > MAX_OBJECTS:
            return Active.ACTION  # a maze of objects is not a document anyone needs to send
        value = stack.pop()
        if isinstance(value, IndirectObject):
            key = (value.idnum, value.generation)
            if key in seen:
                continue
            seen.add(key)
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            finding = _dictionary_finding(value)
            if finding is not None:
                return finding
            stack.extend(value.values())
        elif isinstance(value, ArrayObject):
            stack.extend(value)
    return None
