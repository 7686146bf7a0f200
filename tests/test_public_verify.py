"""Verification of a certificate number: the form page and the page the QR code leads to."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.domain.certificates import number_to_slug

from . import factories

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def verify(client, text):
    return client.get(reverse("verify"), {"number": text})


def test_verify_valid_certificate_shows_holder_items_and_dates(client):
    certificate = factories.certificate(items=("Catering „Smaczne”", "Szycie toreb"))
    response = verify(client, certificate.number)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="status-banner valid"' in html
    assert "Valid until" in html
    assert certificate.organization.name in html
    assert certificate.organization.nip in html
    assert "Catering „Smaczne”" in html and "Szycie toreb" in html
    assert certificate.valid_until.strftime("%Y-%m-%d") in html
    detail = reverse("certificate_detail", kwargs={"slug": number_to_slug(certificate.number)})
    assert f'href="{detail}"' in html


@pytest.mark.parametrize(
    "typed",
    ["ZP/{y}/0001", "zp-{y}-0001", "  ZP / {y} / 0001 ", "Zp-{y}-0001"],
)
def test_verify_accepts_the_ways_people_type_numbers(client, typed):
    certificate = factories.certificate()
    response = verify(client, typed.format(y=certificate.year))
    assert 'class="status-banner valid"' in response.content.decode()


def test_verify_expired_certificate(client):
    today = timezone.localdate()
    certificate = factories.certificate(
        issued_on=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=1),
    )
    html = verify(client, certificate.number).content.decode()
    assert 'class="status-banner expired"' in html
    assert "Expired on" in html
    assert "It no longer gives the right to use the mark" in html
    assert certificate.organization.name in html


def test_verify_certificate_valid_to_the_last_day(client):
    certificate = factories.certificate(valid_until=timezone.localdate())
    assert 'class="status-banner valid"' in verify(client, certificate.number).content.decode()


def test_verify_suspended_certificate_shows_reason(client):
    certificate = factories.certificate()
    certificate.status = "suspended"
    certificate.status_reason = "Brak aktualnych rekomendacji."
    certificate.save()
    html = verify(client, certificate.number).content.decode()
    assert 'class="status-banner suspended"' in html
    assert "may not use the mark" in html
    assert "Brak aktualnych rekomendacji." in html


def test_verify_revoked_certificate_shows_reason(client):
    certificate = factories.certificate()
    certificate.status = "revoked"
    certificate.status_reason = "Produkt nie spełnia standardów."
    certificate.save()
    html = verify(client, certificate.number).content.decode()
    assert 'class="status-banner revoked"' in html
    assert "has been revoked" in html
    assert "Produkt nie spełnia standardów." in html


def test_verify_unknown_number_says_so(client):
    factories.certificate()
    response = verify(client, "ZP/2020/9999")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="status-banner unknown"' in html
    assert "There is no certificate numbered “ZP/2020/9999” in the registry." in html


@pytest.mark.parametrize("typed", ["hello", "ZP/26/1", "12345", "ZP/2026/0001/2"])
def test_verify_malformed_number_is_an_error_not_a_crash(client, typed):
    response = verify(client, typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This is not a certificate number" in html
    assert 'class="error-summary"' in html
    assert "<title>Error: Verify a certificate" in html


def test_verify_empty_number_asks_for_one(client):
    response = verify(client, "")
    assert response.status_code == 200
    assert "Enter the certificate number." in response.content.decode()


def test_verify_first_visit_shows_no_error(client):
    html = client.get(reverse("verify")).content.decode()
    assert "error-summary" not in html


@pytest.mark.parametrize("tail", ["A" * 10_000, "1" * 10_000, "/ZP" * 3_000])
def test_verify_very_long_input_is_refused_calmly(client, tail):
    certificate = factories.certificate()
    response = verify(client, certificate.number + tail)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This is not a certificate number" in html
    assert certificate.organization.name not in html


def test_verify_surrounding_whitespace_of_any_length_is_ignored(client):
    certificate = factories.certificate()
    response = verify(client, " " * 5_000 + certificate.number + " " * 5_000)
    assert 'class="status-banner valid"' in response.content.decode()


def test_verify_escapes_html_fragments(client):
    response = verify(client, '<script>alert("x")</script>')
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


def test_verify_sql_fragment_finds_nothing(client):
    certificate = factories.certificate()
    response = verify(client, f"{certificate.number}' OR '1'='1")
    html = response.content.decode()
    assert response.status_code == 200
    assert certificate.organization.name not in html
    assert "&#x27; OR &#x27;1&#x27;=&#x27;1" in html


def test_verify_number_page_is_where_the_qr_leads(client):
    certificate = factories.certificate()
    url = reverse("verify_number", kwargs={"slug": number_to_slug(certificate.number)})
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="status-banner valid"' in html
    assert certificate.organization.name in html
    assert "Catering „Smaczne”" in html


def test_verify_number_page_accepts_lowercase(client):
    certificate = factories.certificate()
    url = reverse("verify_number", kwargs={"slug": number_to_slug(certificate.number).lower()})
    assert client.get(url).status_code == 200


def test_verify_number_page_shows_revoked_status(client):
    certificate = factories.certificate(status="revoked", status_reason="Naruszenie regulaminu.")
    url = reverse("verify_number", kwargs={"slug": number_to_slug(certificate.number)})
    html = client.get(url).content.decode()
    assert 'class="status-banner revoked"' in html
    assert "Naruszenie regulaminu." in html


@pytest.mark.parametrize("slug", ["ZP-2020-9999", "nonsense", "x" * 10_000])
def test_verify_number_page_unknown_is_404_with_explanation(client, slug):
    response = client.get(reverse("verify_number", kwargs={"slug": slug}))
    assert response.status_code == 404
    assert 'class="status-banner unknown"' in response.content.decode()


def test_verify_number_page_rejects_markup_in_url(client):
    response = client.get("/weryfikacja/%3Cscript%3Ealert(1)%3C%2Fscript%3E/")
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.content.decode()
