"""The certificate as a PDF: WeasyPrint from an HTML template, QR code as inline SVG."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .domain.certificates import number_to_slug
from .models import Certificate
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


def render_certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML  # imported late: loading it costs ~0.4 s

    url = verification_url(certificate)
    # The certificate is an official Polish document whatever the officer's language.
    with translation.override("pl"):
        html = render_to_string(
            "certificates/certificate_pdf.html",
            {
                "certificate": certificate,
                "organization": certificate.organization,
                "items": certificate.items.all(),
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
