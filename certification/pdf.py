"""The certificate as a PDF: WeasyPrint from an HTML template, QR code as inline SVG."""

import math

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .domain.certificates import number_to_slug
from .models import Certificate, Identity
from .signing import SIGNATURE_PARAMETER, sign


def printed_url(certificate: Certificate) -> str:
    """The verification page without the signature: short enough to type from paper."""
    path = reverse("verify_number", kwargs={"slug": number_to_slug(certificate.number)})
    return f"{settings.SITE_URL}{path}"


def verification_url(certificate: Certificate) -> str:
    """What the QR code holds: the verification page with the certificate's signature.

    ASCII only (base64url token), so the QR payload survives every phone's scanner.
    """
    return f"{printed_url(certificate)}?{SIGNATURE_PARAMETER}={sign(certificate)}"


def qr_svg(data: str) -> str:
    qr = segno.make(data, error="m", micro=False)
    return qr.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True)


# The first page's frame has a fixed height and its footer (dates, signature, QR code) a fixed
# place, so the list of items must fit the space between: in points, measured on pages rendered
# with DejaVu Sans, rounded so that wider letters still fit. The list starts 335 pt from the top
# of the page with a one-line name and address, and the footer's box starts at 590 pt.
LIST_SPACE = 245
LIST_LINE = {"regular": 15.4, "compact": 11.7}  # a line at 11 pt and at 9 pt
LIST_GAP = {"regular": 4.3, "compact": 2.3}  # between items
LIST_CHARS = {"regular": 52, "compact": 64}  # per line, counting wide letters
NAME_LINE, NAME_CHARS = 25.2, 34  # the organisation's name at 18 pt bold
ADDRESS_CHARS = 60


def items_layout(*, organization: Identity, items: list) -> str:
    """Where the list of items goes: "regular" or "compact" (smaller type) on the first page,
    or "annex", a page of its own after it, when even small type would run into the footer."""
    space = LIST_SPACE - NAME_LINE * (_lines(organization.name, NAME_CHARS) - 1)
    address = f"{organization.street}, {organization.postal_code} {organization.town}"
    space -= LIST_LINE["regular"] * (_lines(address, ADDRESS_CHARS) - 1)
    for layout in ("regular", "compact"):
        height = sum(
            LIST_GAP[layout]
            + LIST_LINE[layout]
            * _lines(f"{item.name} ({item.get_kind_display()})", LIST_CHARS[layout])
            for item in items
        )
        if height <= space:
            return layout
    return "annex"


def _lines(text: str, per_line: int) -> int:
    return max(1, math.ceil(len(text) / per_line))


def render_certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML  # imported late: loading it costs ~0.4 s

    url = verification_url(certificate)
    items = list(certificate.items.all())
    # Its newest version: printed from version 2 on (a first issue needs no version line).
    version = certificate.versions.order_by("-number").first()
    # The certificate is an official Polish document whatever the officer's language.
    with translation.override("pl"):
        html = render_to_string(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                # Whom it was issued to, as it was then: a later change of the profile changes
                # no certificate.
                "organization": certificate.holder,
                "items": items,
                "version": version if version is not None and version.number > 1 else None,
                "items_layout": items_layout(organization=certificate.holder, items=items),
                "printed_url": printed_url(certificate),
                "qr_svg": qr_svg(url),
                "issuer": settings.CERTIFICATE_ISSUER,
                "signatory": settings.CERTIFICATE_SIGNATORY,
                "font_family": settings.CERTIFICATE_FONT_FAMILY,
            },
        )
    # PDF/UA: a tagged PDF that screen readers can follow (public bodies must publish
    # accessible documents); it costs no measurable render time here.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
