"""API verification: /api/v1/verify?number=&date= ("was it valid on my tender day?")."""

import datetime

import pytest
from django.utils import timezone

from certification.domain import lifecycle

from . import api, factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/verify"


@pytest.fixture
def client():
    return api.client()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_verify_valid_certificate_today(client):
    certificate = factories.certificate()

    response = api.get(client, URL, number=certificate.number)

    assert response.status_code == 200
    body = response.json()
    assert body["query"] == certificate.number
    assert body["result"] == "valid"
    assert body["result_label"] == "Ważny"
    assert body["on_date"] == timezone.localdate().isoformat()
    assert body["certificate"]["number"] == certificate.number
    assert body["certificate"]["organization"]["nip"] == certificate.organization.nip


def test_verify_accepts_the_number_as_written_on_the_page(client):
    certificate = factories.certificate()

    body = api.get(client, URL, number=certificate.number.replace("/", "-").lower()).json()

    assert body["result"] == "valid"
    assert body["certificate"]["number"] == certificate.number


def test_verify_on_a_tender_day_when_it_was_still_valid(client):
    certificate = factories.certificate(issued_on=days(-400), valid_until=days(-35))

    then = api.get(client, URL, number=certificate.number, date=days(-100).isoformat()).json()
    now = api.get(client, URL, number=certificate.number).json()

    assert then["result"] == "valid"
    assert then["on_date"] == days(-100).isoformat()
    assert now["result"] == "expired"
    # The certificate block always shows today's status, beside the answer for the date.
    assert then["certificate"]["status"] == "expired"


def test_verify_on_its_last_day_and_the_day_after(client):
    certificate = factories.certificate(issued_on=days(-370), valid_until=days(-5))

    last = api.get(client, URL, number=certificate.number, date=days(-5).isoformat()).json()
    after = api.get(client, URL, number=certificate.number, date=days(-4).isoformat()).json()

    assert (last["result"], after["result"]) == ("valid", "expired")


def test_verify_a_day_before_issue_is_not_valid(client):
    certificate = factories.certificate(issued_on=days(-10))

    body = api.get(client, URL, number=certificate.number, date=days(-11).isoformat()).json()

    assert body["result"] != "valid"


def test_verify_suspended_certificate_shows_the_reason_and_the_correction_period(client):
    certificate = factories.certificate()
    lifecycle.suspend_certificate(
        certificate=certificate,
        user=factories.officer(),
        reason="Brak aktualnego sprawozdania finansowego.",
        correction_until=days(14),
    )

    body = api.get(client, URL, number=certificate.number).json()

    assert body["result"] == "suspended"
    assert body["reason"] == "Brak aktualnego sprawozdania finansowego."
    assert body["correction_until"] == days(14).isoformat()


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_verify_reports_sanctions(client, status):
    certificate = factories.certificate(status=status)

    assert api.get(client, URL, number=certificate.number).json()["result"] == status


def test_verify_unknown_number_is_200_unknown(client):
    response = api.get(client, URL, number="ZP/1999/0001")

    assert response.status_code == 200
    body = response.json()
    assert body["result"] == "unknown"
    assert body["certificate"] is None
    assert body["reason"] == ""


def test_verify_without_a_number_is_400(client):
    response = api.get(api.client("en"), URL)

    assert response.status_code == 400
    assert response.json() == {
        "message": "Enter the certificate number.",
        "code": "invalid_parameter",
        "parameter": "number",
    }


@pytest.mark.parametrize(
    "bad", ["abc", "ZP/2026", "' OR 1=1 --", "<b>ZP/2026/0001</b>", "ZP/2026/0001" + " " * 50]
)
def test_verify_malformed_number_is_400_and_not_reflected(client, bad):
    response = api.get(client, URL, number=bad)

    assert response.status_code == 400
    assert response.json()["parameter"] == "number"
    assert "<b>" not in response.content.decode()
    assert "OR 1=1" not in response.content.decode()


@pytest.mark.parametrize(
    "bad", ["15.03.2026", "2026-02-30", "2026-3-5", "1700000000", "yesterday", "2026-03-15T10:00"]
)
def test_verify_malformed_date_is_400(client, bad):
    certificate = factories.certificate()

    response = api.get(api.client("en"), URL, number=certificate.number, date=bad)

    assert response.status_code == 400
    assert response.json()["parameter"] == "date"
    assert response.json()["message"] == "Enter the date as YYYY-MM-DD, for example 2026-03-15."


def test_verify_future_date_is_400(client):
    certificate = factories.certificate()

    response = api.get(client, URL, number=certificate.number, date=days(1).isoformat())

    assert response.status_code == 400
    assert response.json()["code"] == "date_in_future"


def test_verify_empty_date_means_today(client):
    certificate = factories.certificate()

    body = api.get(client, URL, number=certificate.number, date="").json()

    assert body["on_date"] == timezone.localdate().isoformat()
