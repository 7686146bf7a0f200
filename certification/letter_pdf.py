"""A decision letter as a PDF: WeasyPrint from an HTML template, in the letter's language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html

from .domain.letters import LetterContent


def render_letter_html(content: LetterContent) -> str:
    decision = content.decision
    with translation.override(content.language):
        return render_to_string(
            "letters/letter_pdf.html",
            {
                "letter": content,
                "decision": decision,
                "paragraphs": _paragraphs(content.body),
                "reasons": _paragraphs(decision.reasons),
                "first_reasons": _paragraphs(decision.first_reasons),
                # Numbers such as W/2026/00001 are kept on one line.
                "application_number": _unbroken(decision.application_number),
                "resolution_number": _unbroken(decision.resolution_number),
                "font_family": settings.CERTIFICATE_FONT_FAMILY,
            },
        )


def _unbroken(text: str) -> str:
    return format_html('<span class="unbroken">{}</span>', text)


def _paragraphs(text: str) -> list[str]:
    """Blank lines part paragraphs; single line breaks stay inside one (the template keeps
    them)."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def render_letter_pdf(content: LetterContent) -> bytes:
    from weasyprint import HTML  # imported late: loading it costs ~0.4 s

    # PDF/UA, as the certificate: public bodies must send accessible documents.
    return HTML(string=render_letter_html(content), base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1"
    )
