"""The verification page's "Was it valid on…" date (a tender date): good and bad dates."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.domain import lifecycle
from certification.domain.certificates import number_to_slug

from . import factories
from .history import SUSPENDED_THEN_REINSTATED, ago, with_history

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()


def verify(client, number, date):
    return client.get(reverse("verify"), {"number": number, "date": date})


@pytest.mark.parametrize("style", ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", " %d.%m.%Y "])
def test_date_accepted_as_people_write_it(client, style):
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    response = verify(client, certificate.number, ago(90).strftime(style))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="status-banner suspended"' in html
    assert "error-summary" not in html


def test_valid_on_a_past_date(client):
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    html = verify(client, certificate.number, ago(120).isoformat()).content.decode()
    assert 'class="status-banner valid"' in html
    assert "Valid on " in html
    assert f"{certificate.organization.name} could use the" in html
    assert "from the certificate's history" in html
    assert 'class="tag tag-valid"' in html  # its status today


def test_during_a_suspension_shows_the_reason_of_that_day(client):
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    html = verify(client, certificate.number, ago(90).isoformat()).content.decode()
    assert 'class="status-banner suspended"' in html
    assert "Not valid on " in html
    assert "Brak aktualnych rekomendacji." in html
    assert "was given until" in html
    assert f"<title>Certificate {certificate.number} on " in html
    assert 'class="tag tag-valid"' in html  # reinstated since


def test_after_reinstatement_is_valid_without_the_old_reason(client):
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    html = verify(client, certificate.number, ago(10).isoformat()).content.decode()
    assert 'class="status-banner valid"' in html
    assert "Brak aktualnych rekomendacji." not in html


def test_after_revocation_shows_the_public_reason(client):
    certificate = with_history(("revoke", "revoked", ago(30), "Naruszenie zasad znaku."))
    before = verify(client, certificate.number, ago(31).isoformat()).content.decode()
    after = verify(client, certificate.number, ago(29).isoformat()).content.decode()
    assert 'class="status-banner valid"' in before
    assert "Naruszenie zasad znaku." not in before
    assert 'class="status-banner revoked"' in after
    assert "Naruszenie zasad znaku." in after


def test_after_expiry(client):
    certificate = with_history(issued=400)
    lifecycle.expire_certificate(certificate=certificate, today=TODAY)
    last_day = verify(client, certificate.number, ago(36).isoformat()).content.decode()
    day_after = verify(client, certificate.number, ago(35).isoformat()).content.decode()
    assert 'class="status-banner valid"' in last_day
    assert 'class="status-banner expired"' in day_after
    assert "it had already expired" in day_after


def test_before_issue_says_not_yet_issued(client):
    certificate = with_history(issued=10)
    response = verify(client, certificate.number, "01.01.2001")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="status-banner not-yet-valid"' in html
    assert "Not valid on 1 January 2001: not yet issued" in html
    assert "after the day you asked about" in html


def test_empty_date_means_today(client):
    certificate = factories.certificate()
    html = verify(client, certificate.number, "").content.decode()
    assert 'class="status-banner valid"' in html
    assert "Valid until" in html
    assert "error-summary" not in html


def test_today_answers_like_the_plain_check(client):
    certificate = factories.certificate(status="suspended", status_reason="Powód dziś.")
    html = verify(client, certificate.number, TODAY.isoformat()).content.decode()
    assert 'class="status-banner suspended"' in html
    assert "Powód dziś." in html


@pytest.mark.parametrize("days_ahead", [1, 400])
def test_future_date_is_refused_with_a_clear_message(client, days_ahead):
    certificate = factories.certificate()
    future = (TODAY + datetime.timedelta(days=days_ahead)).isoformat()
    response = verify(client, certificate.number, future)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_date"' in html
    assert "The date cannot be in the future" in html
    assert "status-banner" not in html


@pytest.mark.parametrize(
    "bad",
    [
        "wczoraj",
        "31.02.2026",
        "2026-13-01",
        "15.03",
        "0",
        "99999-01-01",
        "2026-01-01T00:00",
        "1" * 10_000,
        "<script>alert(1)</script>",
        "2026-01-01' OR '1'='1",
    ],
)
def test_malformed_date_is_an_error_never_a_crash(client, bad):
    certificate = factories.certificate()
    response = verify(client, certificate.number, bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real date, for example 15.03.2026." in html
    assert "<title>Error: Verify a certificate" in html
    assert "<script>alert(1)" not in html
    assert certificate.organization.name not in html


def test_bad_number_and_bad_date_both_reported(client):
    html = verify(client, "hello", "jutro").content.decode()
    assert 'href="#id_number"' in html
    assert 'href="#id_date"' in html


def test_unknown_number_on_a_date_is_not_found(client):
    html = verify(client, "ZP/2020/9999", ago(5).isoformat()).content.decode()
    assert 'class="status-banner unknown"' in html


def test_form_has_a_labelled_optional_date_field(client):
    html = client.get(reverse("verify")).content.decode()
    assert '<label for="id_date">Was it valid on… (optional)</label>' in html
    assert 'aria-describedby="id_date_helptext"' in html


def test_certificate_link_from_a_dated_answer(client):
    certificate = with_history(issued=30)
    html = verify(client, certificate.number, ago(5).isoformat()).content.decode()
    detail = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    assert f'href="{detail}"' in html
