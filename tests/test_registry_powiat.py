"""The powiat filter on the registry page, the API and the downloads; the powiat on the
certificate page; the generator's powiats."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from certification.choices import Powiat
from certification.domain.certificates import number_to_slug
from certification.management.commands._registry_vocabulary import TOWN_POWIATS, TOWNS
from certification.models import Organization

from . import api, factories

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def holder(town: str, powiat: str) -> object:
    organization = factories.OrganizationFactory(town=town, powiat=powiat)
    return factories.certificate(organization=organization)


@pytest.fixture
def three():
    return {
        "katowice": holder("Katowice", Powiat.KATOWICE),
        "knurow": holder("Knurów", Powiat.GLIWICKI),
        "unknown": holder("Pyskowice", ""),  # registered before the powiat was asked
    }


def listed(client, **params) -> tuple[set[str], str]:
    response = client.get(reverse("registry"), params)
    assert response.status_code == 200
    html = response.content.decode()
    return set(re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', html)), html


def test_registry_page_filters_by_powiat(client, three):
    shown, html = listed(client, powiat=Powiat.GLIWICKI)
    assert shown == {three["knurow"].number}
    assert '<option value="2405" selected>powiat gliwicki</option>' in html
    assert '<label for="id_powiat">Powiat (county)</label>' in html


def test_registry_page_unknown_powiat_is_named_and_ignored(client, three):
    shown, html = listed(client, powiat="9999")
    assert shown == {c.number for c in three.values()}
    assert "Choose a powiat from the list." in html
    assert 'href="#id_powiat"' in html  # the error summary links to the field


def test_registry_page_powiat_combines_with_search(client, three):
    shown, _ = listed(client, powiat=Powiat.KATOWICE, q=three["knurow"].number)
    assert shown == set()


def test_api_filters_by_powiat(three):
    response = api.get(api.client(), "/api/v1/certificates", powiat=Powiat.KATOWICE)
    assert [c["number"] for c in response.json()["results"]] == [three["katowice"].number]


@pytest.mark.parametrize("value", ["9999", "katowice", "24691", "2469\x00"])
def test_api_unknown_powiat_is_400_with_a_message(three, value):
    response = api.get(api.client("en"), "/api/v1/certificates", powiat=value)
    assert response.status_code == 400
    assert response.json() == {
        "message": "There is no such powiat. Give the powiat's four-digit TERYT code, for "
        "example 2469 for Katowice.",
        "code": "invalid_parameter",
        "parameter": "powiat",
    }


def test_csv_download_filters_by_powiat_and_has_its_columns(client, three):
    response = client.get(reverse("registry_csv"), {"powiat": Powiat.GLIWICKI})
    text = b"".join(response.streaming_content).decode()[1:]  # after the byte-order mark
    [row] = csv.DictReader(io.StringIO(text), delimiter=";")
    assert row["number"] == three["knurow"].number
    assert (row["powiat"], row["powiat_name"]) == ("2405", "powiat gliwicki")


def test_json_download_filters_by_powiat_and_gives_blank_when_not_known(client, three):
    everything = client.get(reverse("registry_json"))
    rows = json.loads(b"".join(everything.streaming_content))["certificates"]
    by_number = {row["number"]: row for row in rows}
    assert (
        by_number[three["unknown"].number]["powiat"],
        by_number[three["unknown"].number]["powiat_name"],
    ) == ("", "")
    assert by_number[three["katowice"].number]["powiat_name"] == "Katowice"
    narrowed = client.get(reverse("registry_json"), {"powiat": Powiat.KATOWICE})
    rows = json.loads(b"".join(narrowed.streaming_content))["certificates"]
    assert [row["number"] for row in rows] == [three["katowice"].number]


def test_download_with_an_unknown_powiat_is_400(client, three):
    response = client.get(reverse("registry_csv"), {"powiat": "9999"})
    assert response.status_code == 400
    assert "Choose a powiat from the list." in response.content.decode()


def test_certificate_page_shows_the_powiat_when_known(client, three):
    page = client.get(
        reverse("certificate_detail", args=[number_to_slug(three["knurow"].number)])
    ).content.decode()
    assert "<dt>Powiat (county)</dt><dd>powiat gliwicki</dd>" in page
    page = client.get(
        reverse("certificate_detail", args=[number_to_slug(three["unknown"].number)])
    ).content.decode()
    assert "Powiat (county)" not in page


def test_generator_gives_every_town_its_powiat_and_some_none():
    assert {town for town, _, _ in TOWNS} == set(TOWN_POWIATS)
    call_command("generate_certificates", "--count", "100", stdout=io.StringIO())
    organizations = list(Organization.objects.all())
    blank = [o for o in organizations if not o.powiat]
    assert 0 < len(blank) < len(organizations) // 5
    for organization in organizations:
        if organization.powiat:
            assert organization.powiat == TOWN_POWIATS[organization.town]
