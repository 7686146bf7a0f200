"""The embeddable badge: the SVG with the live status, and the page with the code to paste."""

import datetime
import html as html_lib
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.domain import lifecycle

from . import factories

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SVG = "{http://www.w3.org/2000/svg}"
TODAY = timezone.localdate()


def slug(certificate) -> str:
    return certificate.number.replace("/", "-")


def badge(client, slug_text):
    response = client.get(reverse("certificate_badge_svg", args=[slug_text]))
    root = ET.fromstring(response.content)  # well-formed XML, or this raises
    status = root.find(f".//{SVG}text[@data-status]")
    return response, root, status


def test_valid_badge_shows_mark_number_and_status(client):
    certificate = factories.certificate()
    response, root, status = badge(client, slug(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[:2] == ["Zakup Prospołeczny", certificate.number]
    assert status.get("data-status") == "valid"
    assert status.text == f"Valid until {certificate.valid_until:%d.%m.%Y}"
    assert status.get("fill") == "#ffffff"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "badge-title badge-desc"
    title = root.find(f"{SVG}title").text
    assert title == f"Zakup Prospołeczny certificate {certificate.number}: {status.text}"
    assert certificate.organization.name in root.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    ("kwargs", "status", "text"),
    [
        ({"status": "suspended"}, "suspended", "Suspended"),
        ({"status": "revoked"}, "revoked", "Revoked"),
        (
            {
                "issued_on": TODAY - datetime.timedelta(days=400),
                "valid_until": TODAY - datetime.timedelta(days=35),
            },
            "expired",
            "Expired",
        ),
    ],
)
def test_badge_shows_other_statuses(client, kwargs, status, text):
    certificate = factories.certificate(**kwargs)
    response, _, shown = badge(client, slug(certificate))
    assert response.status_code == 200
    assert (shown.get("data-status"), shown.text) == (status, text)


def test_badge_status_is_live(client):
    certificate = factories.certificate()
    lifecycle.suspend_certificate(
        certificate=certificate,
        user=factories.officer(),
        reason="Brak dokumentów.",
        correction_until=TODAY + datetime.timedelta(days=14),
    )
    _, _, shown = badge(client, slug(certificate))
    assert shown.text == "Suspended"


def test_badge_is_polish_by_default():
    certificate = factories.certificate(status="revoked")
    _, root, shown = badge(Client(), slug(certificate))
    assert root.get("lang") == "pl"
    assert shown.text == "Cofnięty"  # "Revoked" in the Polish catalogue


def test_badge_may_be_cached_for_minutes_and_embedded_elsewhere(client):
    response, _, _ = badge(client, slug(factories.certificate()))
    assert response["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in response["Vary"]
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("slug_text", ["ZP-1999-0001", "nie-ma-takiego", "ZP-2026-0001x"])
def test_unknown_certificate_badge_is_a_404_svg(client, slug_text):
    response, root, shown = badge(client, slug_text)
    assert response.status_code == 404
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert (shown.get("data-status"), shown.text) == ("unknown", "Unknown certificate")
    assert "unknown certificate" in root.find(f"{SVG}title").text
    assert response["Cache-Control"] == "public, max-age=60"


def test_badge_escapes_the_organisation_name(client):
    organization = factories.OrganizationFactory(name='Fundacja <script>alert(1)</script> & "Co"')
    response, root, _ = badge(client, slug(factories.certificate(organization=organization)))
    assert b"<script>" not in response.content
    assert 'Fundacja <script>alert(1)</script> & "Co"' in root.find(f"{SVG}desc").text


class TestBadgePage:
    def page(self, client, certificate):
        response = client.get(reverse("certificate_badge", args=[slug(certificate)]))
        assert response.status_code == 200
        return response.content.decode()

    def test_snippet_in_a_labelled_read_only_textarea(self, client):
        certificate = factories.certificate()
        html = self.page(client, certificate)
        assert '<label for="badge-code">HTML code of the badge</label>' in html
        textarea = re.search(r'<textarea id="badge-code"([^>]*)>(.*?)</textarea>', html, re.S)
        assert " readonly" in textarea[1]
        assert 'aria-describedby="badge-code-hint"' in textarea[1]
        page_url = f"http://127.0.0.1:8000/rejestr/{slug(certificate)}/"
        expected = (
            f'<a href="{page_url}"><img src="{page_url}odznaka.svg" '
            f'alt="Zakup Prospołeczny certificate {certificate.number} – check whether it is '
            'valid" width="340" height="64"></a>'
        )
        # Escaped once in the page, so the box shows (and copies) the code itself.
        assert textarea[2] == html_lib.escape(expected)
        assert "<a href" not in textarea[2]

    def test_page_shows_the_badge_and_warns_when_not_valid(self, client):
        certificate = factories.certificate(status="suspended")
        html = self.page(client, certificate)
        assert f'<img src="/rejestr/{slug(certificate)}/odznaka.svg"' in html  # the preview
        assert "The certificate is not valid today (status: Suspended)" in html
        assert f"<title>Badge for your website: certificate {certificate.number}" in html

    def test_non_canonical_number_redirects(self, client):
        certificate = factories.certificate()
        response = client.get(reverse("certificate_badge", args=[slug(certificate).lower()]))
        assert response.status_code == 302
        assert response["Location"] == reverse("certificate_badge", args=[slug(certificate)])

    @pytest.mark.parametrize("slug_text", ["ZP-1999-0001", "x" * 300])
    def test_unknown_certificate_page_is_404(self, client, slug_text):
        response = client.get(reverse("certificate_badge", args=[slug_text]))
        assert response.status_code == 404

    def test_certificate_page_links_to_the_badge(self, client):
        certificate = factories.certificate()
        html = client.get(reverse("certificate_detail", args=[slug(certificate)])).content
        assert f'href="/rejestr/{slug(certificate)}/odznaka/"'.encode() in html
