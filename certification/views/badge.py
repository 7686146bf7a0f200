"""The embeddable badge: an SVG showing a certificate's live status, linking to its page, and
the page that gives a PES the HTML code to paste into its website."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.csp import CSP
from django.utils.html import format_html
from django.utils.translation import gettext
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_safe

from ..choices import VerificationResult
from ..domain.certificates import number_to_slug, parse_number
from ..models import Certificate
from .public import Shown, certificate_or_404

# Long enough to spare the server, short enough that a suspension shows on the PES's site soon.
BADGE_MAX_AGE = 300
UNKNOWN_MAX_AGE = 60
WIDTH, HEIGHT = 340, 64

# Background and text colour of the status tag, the registry's tag colours (contrast ≥ 4.5:1).
COLOURS = {
    VerificationResult.VALID: ("#00703c", "#ffffff"),
    VerificationResult.EXPIRED: ("#fff7bf", "#594d00"),
    VerificationResult.SUSPENDED: ("#fcd6c3", "#6e3619"),
    VerificationResult.REVOKED: ("#942514", "#ffffff"),
    VerificationResult.NOT_YET_VALID: ("#f6d7d2", "#942514"),
    VerificationResult.UNKNOWN: ("#f6d7d2", "#942514"),
}


def _absolute(name: str, slug: str, site_url: str | None = None) -> str:
    # SITE_URL, not the request's host: the code is pasted into other people's websites.
    return (settings.SITE_URL if site_url is None else site_url) + reverse(name, args=[slug])


def _status_text(certificate: Certificate, status: VerificationResult) -> str:
    if status == VerificationResult.VALID:
        return gettext("Valid until %(date)s") % {
            "date": formats.date_format(certificate.valid_until, "SHORT_DATE_FORMAT")
        }
    return str(status.label)


def _box(*, known: bool) -> dict:
    """Sizes: the status tag sits right of the number, or fills the line when there is none."""
    tag_x = 138 if known else 8
    tag_width = WIDTH - tag_x - 8
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "inner_width": WIDTH - 2,
        "inner_height": HEIGHT - 2,
        "tag_x": tag_x,
        "tag_width": tag_width,
        "tag_centre": tag_x + tag_width // 2,
    }


# Shown in <img> on other sites; opened on its own, it may run and load nothing. (Its colours and
# fonts are SVG attributes, which no style-src governs.)
@csp_override({"default-src": [CSP.NONE], "frame-ancestors": [CSP.NONE]})
@require_safe
def badge_svg(request, slug: str):
    number = parse_number(slug)
    certificate = (
        Certificate.objects.select_related("organization").filter(number=number).first()
        if number
        else None
    )
    today = timezone.localdate()
    if certificate is None:
        status = VerificationResult.UNKNOWN
        context = {"status_text": gettext("Unknown certificate"), "number": ""}
    else:
        status = VerificationResult(certificate.status_on(today))
        context = {
            "certificate": certificate,
            "number": certificate.number,
            "status_text": _status_text(certificate, status),
            "page_url": _absolute("certificate_detail", number_to_slug(certificate.number)),
        }
    background, ink = COLOURS[status]
    response = render(
        request,
        "public/badge.svg",
        {
            **context,
            "status": status.value,
            "background": background,
            "ink": ink,
            "today": today,
            "box": _box(known=certificate is not None),
        },
        content_type="image/svg+xml; charset=utf-8",
        status=200 if certificate else 404,
    )
    patch_cache_control(
        response, public=True, max_age=BADGE_MAX_AGE if certificate else UNKNOWN_MAX_AGE
    )
    # The language comes from a cookie: a shared cache must not give one reader's to another.
    patch_vary_headers(response, ["Cookie"])
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def snippet(certificate: Certificate, *, site_url: str | None = None):
    """The HTML a PES pastes into its website (escaped, as a SafeString).

    With site_url="" its links are relative: the preview on our own page shows the badge even
    where SITE_URL is not this server (development, a test server).
    """
    slug = number_to_slug(certificate.number)
    alt = gettext("Zakup Prospołeczny certificate %(number)s – check whether it is valid") % {
        "number": certificate.number
    }
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" width="{}" height="{}"></a>',
        _absolute("certificate_detail", slug, site_url),
        _absolute("certificate_badge_svg", slug, site_url),
        alt,
        WIDTH,
        HEIGHT,
    )


@require_safe
def badge_page(request, slug: str):
    certificate = certificate_or_404(slug, Certificate.objects.select_related("organization"))
    shown = Shown.of(certificate, timezone.localdate())
    if slug != shown.slug:
        return redirect("certificate_badge", slug=shown.slug)
    return render(
        request,
        "public/badge_page.html",
        {
            "certificate": certificate,
            "shown": shown,
            "snippet": snippet(certificate),
            "preview": snippet(certificate, site_url=""),
            "svg_url": _absolute("certificate_badge_svg", shown.slug),
        },
    )
