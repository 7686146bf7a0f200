"""Verification by NIP: the verification page's one box and GET /api/v1/verify/nip."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.domain.certificates import number_to_slug

from . import api, factories
from .history import SUSPENDED_THEN_REINSTATED, ago, with_history

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()
NIP = "5260250274"
API_URL = "/api/v1/verify/nip"


def organization(nip: str = NIP):
    return factories.OrganizationFactory(nip=nip, name="Spółdzielnia Socjalna „Pod Wiatrakiem”")


def verify(client, text, date=""):
    return client.get(reverse("verify"), {"number": text, "date": date})


def rows(html: str) -> list[str]:
    """The certificate numbers of the result table, in the order shown."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


# The page


@pytest.mark.parametrize(
    "typed",
    [
        "5260250274",
        "526-025-02-74",
        "526 02 50 274",
        "PL5260250274",
        " pl 526-025-02-74 ",
        "NIP: 526-025-02-74",
    ],
)
def test_page_nip_as_people_type_it_finds_the_certificate(client, typed):
    certificate = factories.certificate(organization=organization(), items=("Szycie toreb",))

    response = verify(client, typed)

    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" not in html
    assert 'class="status-banner valid">1 valid certificate<' in html
    assert "Spółdzielnia Socjalna „Pod Wiatrakiem”" in html
    assert "Szycie toreb" in html
    assert certificate.valid_until.strftime("%Y-%m-%d") in html
    detail = reverse("certificate_detail", args=[number_to_slug(certificate.number)])
    assert f'<a href="{detail}">{certificate.number}</a>' in html
    assert f"<title>NIP {NIP}: Spółdzielnia Socjalna „Pod Wiatrakiem”" in html


def test_page_lists_every_certificate_valid_ones_first(client):
    holder = organization()
    old = factories.certificate(
        organization=holder, issued_on=days(-800), valid_until=days(-436)
    )  # expired
    revoked = factories.certificate(organization=holder, issued_on=days(-400), status="revoked")
    current = factories.certificate(organization=holder, issued_on=days(-30))
    factories.certificate()  # another organisation's

    html = verify(client, NIP).content.decode()

    assert rows(html) == [current.number, revoked.number, old.number]
    assert html.count('class="tag tag-valid"') == 1
    assert 'class="tag tag-revoked"' in html and 'class="tag tag-expired"' in html
    assert "1 valid certificate" in html


def test_page_two_valid_certificates_are_counted(client):
    holder = organization()
    factories.certificate(organization=holder, items=("Catering",))
    factories.certificate(organization=holder, items=("Pranie",))

    html = verify(client, NIP).content.decode()

    assert "2 valid certificates" in html
    assert "Catering" in html and "Pranie" in html


def test_page_no_valid_certificate_today_says_so(client):
    factories.certificate(organization=organization(), issued_on=days(-400), valid_until=days(-36))

    html = verify(client, NIP).content.decode()

    assert "No valid certificate today" in html
    assert "holds no valid certificate: it may not use" in html
    assert 'class="tag tag-expired"' in html


def test_page_on_a_past_date_answers_for_that_day(client):
    holder = organization()
    then_valid = factories.certificate(
        organization=holder, issued_on=days(-400), valid_until=days(-36)
    )
    later = factories.certificate(organization=holder, issued_on=days(-20))

    html = verify(client, NIP, days(-100).strftime("%d.%m.%Y")).content.decode()

    assert "1 certificate valid on " in html
    assert rows(html) == [then_valid.number, later.number]
    assert 'class="tag tag-valid"' in html
    assert 'class="tag tag-not_yet_valid"' in html  # issued after the day asked about
    assert "from the certificates' history in the registry" in html


def test_page_suspension_on_that_day_shows_its_reason(client):
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)
    nip = certificate.organization.nip

    during = verify(client, nip, ago(90).isoformat()).content.decode()
    after = verify(client, nip, ago(10).isoformat()).content.decode()

    assert 'class="tag tag-suspended"' in during
    assert "Brak aktualnych rekomendacji." in during
    assert "No valid certificate on " in during
    assert 'class="tag tag-valid"' in after
    assert "Brak aktualnych rekomendacji." not in after


def test_page_wrong_check_digit_is_an_error_beside_the_field(client):
    factories.certificate(organization=organization())

    response = verify(client, "526-025-02-75")

    html = response.content.decode()
    message = "This NIP has a wrong check digit: check it for a typo."
    assert response.status_code == 200
    assert f'<a href="#id_number">Certificate number or NIP: {message}</a>' in html
    assert f'<p class="error-message" id="id_number_error">{message}</p>' in html
    assert "<title>Error: Verify a certificate" in html
    assert "Pod Wiatrakiem" not in html


def test_page_unknown_nip_is_not_an_error(client):
    factories.certificate()

    response = verify(client, "7251801126")

    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" not in html
    assert 'class="status-banner unknown">No certificate in the registry for this NIP<' in html
    assert "NIP 7251801126" in html
    assert "<title>NIP 7251801126: no certificate in the registry" in html


def test_page_organisation_without_certificates_is_not_disclosed(client):
    organization()  # has an account here, but no certificate: not in the public registry

    html = verify(client, NIP).content.decode()

    assert "No certificate in the registry for this NIP" in html
    assert "Pod Wiatrakiem" not in html


@pytest.mark.parametrize("typed", ["12345", "52602502741", "PL12345678901", "NIP 52602502"])
def test_page_neither_a_number_nor_a_nip_says_what_both_look_like(client, typed):
    html = verify(client, typed).content.decode()

    assert "This is not a certificate number or a NIP." in html
    assert 'class="error-summary"' in html


def test_page_query_count_does_not_grow_with_certificates(client):
    holder = organization()
    factories.certificate(organization=holder)
    with CaptureQueriesContext(connection) as one:
        verify(client, NIP)
    for _ in range(4):
        factories.certificate(organization=holder, issued_on=days(-400), valid_until=days(-36))
    with CaptureQueriesContext(connection) as five:
        html = verify(client, NIP).content.decode()

    assert len(rows(html)) == 5
    assert len(five) == len(one)


def test_page_label_and_home_page_offer_the_nip(client):
    for url in (reverse("verify"), reverse("home")):
        html = client.get(url).content.decode()
        assert "Certificate number or NIP" in html
    assert "or the organisation's NIP." in client.get(reverse("home")).content.decode()


# The API


@pytest.fixture
def api_client():
    return api.client(language="en")


def test_api_nip_returns_the_organisation_and_its_certificates(api_client):
    holder = organization()
    old = factories.certificate(organization=holder, issued_on=days(-800), valid_until=days(-436))
    current = factories.certificate(organization=holder, items=("Szycie toreb",))

    response = api.get(api_client, API_URL, nip="PL 526-025-02-74")

    assert response.status_code == 200
    body = response.json()
    assert body["nip"] == NIP
    assert body["query"] == "PL 526-025-02-74"
    assert body["on_date"] == TODAY.isoformat()
    assert body["valid"] is True
    assert body["organization"]["name"] == "Spółdzielnia Socjalna „Pod Wiatrakiem”"
    numbers = [h["certificate"]["number"] for h in body["certificates"]]
    assert numbers == [current.number, old.number]
    assert [h["result"] for h in body["certificates"]] == ["valid", "expired"]
    assert body["certificates"][0]["certificate"]["items"][0]["name"] == "Szycie toreb"


def test_api_nip_on_a_past_date_with_the_reason_of_that_day(api_client):
    certificate = with_history(*SUSPENDED_THEN_REINSTATED)

    body = api.get(
        api_client, API_URL, nip=certificate.organization.nip, date=ago(90).isoformat()
    ).json()

    assert body["valid"] is False
    (held,) = body["certificates"]
    assert held["result"] == "suspended"
    assert held["result_label"] == "Suspended"
    assert held["reason"] == "Brak aktualnych rekomendacji."
    assert held["certificate"]["status"] == "valid"  # today's, as in /verify


def test_api_unknown_nip_is_200_with_nothing(api_client):
    organization()  # registered here, but without a certificate

    response = api.get(api_client, API_URL, nip=NIP)

    assert response.status_code == 200
    assert response.json() == {
        "query": NIP,
        "nip": NIP,
        "on_date": TODAY.isoformat(),
        "valid": False,
        "organization": None,
        "certificates": [],
    }


@pytest.mark.parametrize(
    ("params", "code", "parameter", "message"),
    [
        ({"nip": "5260250275"}, "nip_checksum", "nip", "wrong check digit"),
        ({"nip": "12345"}, "not_a_nip", "nip", "exactly 10 digits"),
        ({"nip": "5" * 10_000}, "not_a_nip", "nip", "exactly 10 digits"),
        ({"nip": "  "}, "invalid_parameter", "nip", "Enter the NIP."),
        ({}, "invalid_parameter", "nip", "Enter the NIP."),
        ({"nip": NIP, "date": "15.03.2026"}, "invalid_date", "date", "YYYY-MM-DD"),
        ({"nip": NIP, "date": days(1).isoformat()}, "date_in_future", "date", "in the future"),
    ],
)
def test_api_bad_input_is_a_400_in_the_house_format(api_client, params, code, parameter, message):
    response = api.get(api_client, API_URL, **params)

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["parameter"]) == (code, parameter)
    assert message in body["message"]


def test_api_error_is_polish_by_default():
    body = api.get(api.client(), API_URL, nip="5260250275").json()

    assert (
        body["message"]
        == "Ten NIP ma błędną cyfrę kontrolną – sprawdź, czy nie ma w nim literówki."
    )
