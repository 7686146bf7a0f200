"""API lookup of one certificate: /api/v1/certificates/{number} and ?number=."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from certification.models import Certificate

from . import api, factories

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def client(settings):
    settings.SITE_URL = SITE
    return api.client()


@pytest.fixture
def certificate():
    organization = factories.OrganizationFactory(
        name="Fundacja „Łączy nas pasja”", nip="5260250274", town="Gliwice", legal_form="foundation"
    )
    return factories.certificate(
        organization=organization, items=("Catering „Smaczne”", "Szycie toreb")
    )


def slug(certificate: Certificate) -> str:
    return certificate.number.replace("/", "-")


def test_lookup_by_slug_gives_what_a_buyer_needs(client, certificate):
    response = api.get(client, f"/api/v1/certificates/{slug(certificate)}")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == certificate.number
    assert body["status"] == "valid"
    assert body["status_label"] == "Ważny"
    assert body["organization"] == {
        "name": "Fundacja „Łączy nas pasja”",
        "nip": "5260250274",
        "legal_form": "foundation",
        "legal_form_label": "Fundacja",
        "town": "Gliwice",
    }
    assert [item["name"] for item in body["items"]] == ["Catering „Smaczne”", "Szycie toreb"]
    assert {item["kind"] for item in body["items"]} == {"product"}
    assert body["issued_on"] == certificate.issued_on.isoformat()
    assert body["valid_until"] == certificate.valid_until.isoformat()
    assert body["links"] == {
        "page": f"{SITE}/rejestr/{slug(certificate)}/",
        "pdf": None,  # this one has no PDF yet
        "verification": f"{SITE}/weryfikacja/{slug(certificate)}/",
    }


def test_lookup_links_lead_to_the_public_pages(client, certificate):
    links = api.get(client, f"/api/v1/certificates/{slug(certificate)}").json()["links"]

    for url in (links["page"], links["verification"]):
        assert client.get(url.removeprefix(SITE)).status_code == 200


def test_lookup_gives_the_pdf_link_once_there_is_a_pdf(client, certificate):
    certificate.pdf.save("c.pdf", ContentFile(factories.pdf_bytes()))

    links = api.get(client, f"/api/v1/certificates/{slug(certificate)}").json()["links"]

    assert links["pdf"] == f"{SITE}/rejestr/{slug(certificate)}/certyfikat.pdf"
    assert client.get(links["pdf"].removeprefix(SITE)).status_code == 200


@pytest.mark.parametrize(
    "written", ["{slug}", "{number}", "{lower}", "ZP%2F{year}%2F{seq}", "{slug}/"]
)
def test_lookup_accepts_the_number_as_people_write_it(client, certificate, written):
    path = written.format(
        slug=slug(certificate),
        number=certificate.number,
        lower=slug(certificate).lower(),
        year=certificate.year,
        seq=f"{certificate.sequence:04d}",
    )
    response = client.get(f"/api/v1/certificates/{path}")

    assert response.status_code == 200
    assert response.json()["number"] == certificate.number


def test_lookup_by_query_number_with_slashes(client, certificate):
    response = api.get(client, "/api/v1/certificates", number=certificate.number)

    assert response.status_code == 200
    assert [c["number"] for c in response.json()["results"]] == [certificate.number]


def test_lookup_by_query_number_unknown_is_an_empty_result(client, certificate):
    response = api.get(client, "/api/v1/certificates", number="ZP/1999/0001")

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_lookup_unknown_number_is_404_with_a_message(client, certificate):
    response = api.get(client, "/api/v1/certificates/ZP-1999-0001")

    assert response.status_code == 404
    assert response.json() == {
        "message": response.json()["message"],
        "code": "not_found",
        "parameter": "number",
    }
    assert response.json()["message"]
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "bad", ["nonsense", "ZP-26-1", "1234", "ZP-2026-0007-extra", "<script>alert(1)</script>"]
)
def test_lookup_malformed_number_is_400(client, bad):
    response = api.get(client, f"/api/v1/certificates/{bad}")

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_number"
    assert "<script>" not in response.content.decode()


def test_lookup_query_number_malformed_is_400(client):
    response = api.get(client, "/api/v1/certificates", number="ZP/2026")

    assert response.status_code == 400
    assert response.json()["parameter"] == "number"


def test_lookup_of_a_very_long_number_is_400_not_500(client):
    response = api.get(client, "/api/v1/certificates/" + "ZP-2026-" + "7" * 10_000)

    assert response.status_code == 400


def test_error_message_is_polish_by_default_and_english_on_request(certificate):
    polish = api.get(api.client(), "/api/v1/certificates/nonsense").json()["message"]
    english = api.get(api.client("en"), "/api/v1/certificates/nonsense").json()["message"]

    assert english.startswith("This is not a certificate number.")
    assert polish != english
    assert polish.startswith("To nie jest numer certyfikatu.")


@pytest.mark.parametrize(
    ("status", "days_left", "shown"),
    [
        ("valid", 10, "valid"),
        ("valid", -1, "expired"),  # past its date: expired, whatever the stored flag says
        ("suspended", 10, "suspended"),
        ("revoked", 10, "revoked"),
    ],
)
def test_lookup_shows_todays_status(client, status, days_left, shown):
    today = timezone.localdate()
    certificate = factories.certificate(
        issued_on=today - datetime.timedelta(days=300),
        valid_until=today + datetime.timedelta(days=days_left),
        status=status,
    )

    body = api.get(client, f"/api/v1/certificates/{slug(certificate)}").json()

    assert body["status"] == shown


def test_unknown_api_address_answers_json_404(client):
    for path in ("/api/v1/", "/api/v1/nothing-here", "/api/v1/certificates/"):
        response = client.get(path)

        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


def test_api_is_read_only(client, certificate):
    response = client.post(f"/api/v1/certificates/{slug(certificate)}")

    assert response.status_code == 405
    assert Certificate.objects.count() == 1
