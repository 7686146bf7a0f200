"""The public page of one certificate, and its PDF."""

import hashlib

import pytest
from django.urls import reverse

from certification.domain.certificates import number_to_slug

from . import factories, stages

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def issued():
    """A certificate issued through the real flow, with its PDF."""
    return stages.certified(stages.cast())


def detail_url(certificate, slug=None):
    return reverse(
        "certificate_detail", kwargs={"slug": slug or number_to_slug(certificate.number)}
    )


def pdf_url(certificate):
    return reverse("certificate_pdf", kwargs={"slug": number_to_slug(certificate.number)})


def test_certificate_page_shows_everything_public(client, issued, settings):
    response = client.get(detail_url(issued))
    html = response.content.decode()
    organization = issued.organization
    assert response.status_code == 200
    assert f"<h1>Certificate {issued.number}</h1>" in html
    assert 'class="status-banner valid"' in html
    for text in (
        organization.name,
        "Social cooperative",
        organization.nip,
        organization.krs,
        organization.town,
        issued.pdf_sha256,
        settings.CERTIFICATE_ISSUER,
        issued.issued_on.strftime("%Y-%m-%d"),
        issued.valid_until.strftime("%Y-%m-%d"),
    ):
        assert text in html
    for item in issued.items.all():
        assert item.name in html
        assert item.description in html
    assert f'href="{pdf_url(issued)}"' in html


def test_certificate_page_lowercase_slug_redirects_to_canonical(client):
    certificate = factories.certificate()
    response = client.get(detail_url(certificate, number_to_slug(certificate.number).lower()))
    assert response.status_code == 302
    assert response["Location"] == detail_url(certificate)


def test_certificate_page_revoked_shows_status_and_reason(client):
    certificate = factories.certificate(status="revoked", status_reason="Naruszenie zasad znaku.")
    html = client.get(detail_url(certificate)).content.decode()
    assert 'class="status-banner revoked"' in html
    assert "Naruszenie zasad znaku." in html


def test_certificate_page_without_pdf_offers_no_download(client):
    certificate = factories.certificate()
    html = client.get(detail_url(certificate)).content.decode()
    assert "certyfikat.pdf" not in html


@pytest.mark.parametrize("slug", ["ZP-2020-9999", "not-a-number", "x" * 5_000])
def test_certificate_page_unknown_is_404(client, slug):
    assert client.get(reverse("certificate_detail", kwargs={"slug": slug})).status_code == 404


def test_certificate_pdf_is_served_inline_and_is_the_stored_file(client, issued):
    response = client.get(pdf_url(issued))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == issued.pdf_sha256


def test_certificate_pdf_unknown_is_404(client):
    url = reverse("certificate_pdf", kwargs={"slug": "ZP-2020-9999"})
    assert client.get(url).status_code == 404


def test_certificate_pdf_not_attached_is_404(client):
    assert client.get(pdf_url(factories.certificate())).status_code == 404


def test_certificate_pdf_missing_from_storage_is_404(client, issued):
    issued.pdf.storage.delete(issued.pdf.name)
    assert client.get(pdf_url(issued)).status_code == 404
