"""What an uploaded file really is, judged by its bytes; and a name safe to show for it.

The name the user gave is only ever displayed (and offered back on download); the storage key is
made elsewhere and never contains it.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PasswordType, PdfReader

from .active_content import (
    HEADER_WINDOW,
    Active,
    html_markup,
    junk_before_pdf_header,
    pdf_active_content,
)
from .errors import DomainError

# Recognised from the first bytes of the file, never from its name.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}
# Extensions a displayed name may keep for each type; any other gets the right one appended,
# so that a download opens in the right program ("skan.exe" holding a PDF becomes "skan.exe.pdf").
EXTENSIONS = {
    "application/pdf": {".pdf"},
    "image/jpeg": {".jpg", ".jpeg", ".jpe", ".jfif"},
    "image/png": {".png"},
}
MAX_NAME_LENGTH = 150


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    suffix: str
    sha256: str
    size: int


def sniff_type(head: bytes) -> tuple[str, str] | None:
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


def _refuse(message: str):
    raise DomainError(message, field="file")


def _active_content_message(found: Active) -> str:
    again = _(
        "Save the document again as a plain PDF (e.g. print it to PDF) and attach the new file."
    )
    why = {
        Active.JAVASCRIPT: _(
            "The PDF contains JavaScript, a program that could run on the computer of "
            "whoever opens the file."
        ),
        Active.ACTION: _(
            "The PDF contains an action that starts a program or sends data when the file is "
            "opened."
        ),
        Active.EMBEDDED_FILE: _(
            "The PDF has other files hidden inside it; attach each document as a file of its own."
        ),
        Active.XFA: _(
            "The PDF is an XFA form, which can hold scripts and which most programs cannot show."
        ),
        Active.HTML: _(
            "The file contains web page code (HTML) besides the document, so a browser could run "
            "it as a web page."
        ),
        Active.BEFORE_HEADER: _(
            "The file has other content in front of the PDF, which a browser or another program "
            "could run."
        ),
    }[found]
    return f"{why} {again}"


def _check_pdf(uploaded: UploadedFile) -> None:
    # The per-file size limit, checked before, bounds the work pypdf can be made to do.
    locked, pages, active = False, 0, None
    try:
        reader = PdfReader(uploaded, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            locked = True
        else:
            # A PDF encrypted only against printing or copying opens without a password: the
            # reviewers can read it, so it is accepted.
            pages = len(reader.pages)
            active = pdf_active_content(reader)
    except Exception:  # pypdf raises many kinds of error on a damaged file; each means the same.
        pages = 0
    if locked:
        _refuse(
            _(
                "The PDF is protected with a password, so it cannot be opened. Save it again "
                "without a password and attach the new file."
            )
        )
    if pages < 1:
        _refuse(
            _(
                "The PDF file is damaged or incomplete and cannot be opened. Save or scan the "
                "document again and attach the new file."
            )
        )
    if active is not None:
        _refuse(_active_content_message(active))


def _check_image(uploaded: UploadedFile, content_type: str) -> None:
    damaged = _(
        "The image file is damaged or incomplete and cannot be displayed. Save or photograph "
        "the document again and attach the new file."
    )
    # Some cameras write JPEGs that Pillow calls MPO (several pictures in one file).
    expected = {"JPEG", "MPO"} if content_type == "image/jpeg" else {"PNG"}
    too_big = _("The image has too many pixels; save it at a lower resolution and attach it.")
    try:
        with Image.open(uploaded) as image:
            if image.format not in expected:
                _refuse(damaged)
            if image.width * image.height > Image.MAX_IMAGE_PIXELS:
                _refuse(too_big)  # a "decompression bomb": small file, huge picture
            # Checks a PNG's chunks and checksums to the end, without decoding the pixels.
            image.verify()
        if content_type == "image/jpeg":
            # verify() does not read a JPEG's data; decoding it at 1/8 scale does, cheaply, and
            # finds a file cut short.
            uploaded.seek(0)
            with Image.open(uploaded) as image:
                image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
                image.load()
    except Image.DecompressionBombError:
        _refuse(too_big)
    except DomainError:
        raise
    except Exception:  # Pillow's errors on a damaged file vary by format and step.
        _refuse(damaged)


def check_upload(uploaded: UploadedFile) -> CheckedFile:
    """Refuse what is empty, too large, not a PDF/JPEG/PNG, damaged or active (scripts, actions,
    hidden files, web page code); else type and hash."""
    size = uploaded.size or 0
    if size == 0:
        _refuse(_("The file is empty."))
    if size > settings.MAX_DOCUMENT_SIZE:
        # Decided on the size alone: the upload handler kept none of an oversized file.
        _refuse(
            _("The file is too large (%(size)s); the limit is %(limit)s per file.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.MAX_DOCUMENT_SIZE)}
        )
    uploaded.seek(0)
    head = uploaded.read(HEADER_WINDOW)
    kind = sniff_type(head)
    if kind is None and junk_before_pdf_header(head):
        _refuse(_active_content_message(Active.BEFORE_HEADER))
    if kind is None:
        _refuse(_("Only PDF, JPEG and PNG files are accepted; this file is none of them."))
    content_type, suffix = kind
    uploaded.seek(0)
    # Bounded by MAX_DOCUMENT_SIZE, checked above. Looked at before the format's own checks: a
    # polyglot is refused as such even where a PDF or image reader would accept it.
    if html_markup(uploaded.read()):
        _refuse(_active_content_message(Active.HTML))
    uploaded.seek(0)
    if content_type == "application/pdf":
        _check_pdf(uploaded)
    else:
        _check_image(uploaded, content_type)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedFile(content_type, suffix, digest.hexdigest(), size)


def plain_name(raw: str | None) -> str:
    """The user's file name with no path and no control characters, as typed otherwise.

    For naming a file that was refused (its content unknown, its extension unchecked).
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    # Category C: control and format characters (including right-to-left overrides that can
    # disguise an extension), surrogates, private-use and unassigned code points.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        name = name[: MAX_NAME_LENGTH - 1] + "…"
    return name


def display_name(raw: str | None, checked: CheckedFile) -> str:
    """The user's file name fit for display: no path, no control characters, a sane length.

    Any script is kept (Polish, Ukrainian, …); the extension always matches the content.
    """
    name = plain_name(raw)
    stem, dot, extension = name.rpartition(".")
    extension = f".{extension.lower()}"
    if not dot or extension not in EXTENSIONS[checked.content_type]:
        stem, extension = name, checked.suffix
    stem = stem.strip(" .") or _("document")
    room = MAX_NAME_LENGTH - len(extension)
    if len(stem) > room:
        stem = stem[: room - 1].rstrip(" .") + "…"
    return stem + extension
