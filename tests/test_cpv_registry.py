"""Buyers find certified suppliers by the CPV codes of a tender notice: the registry page, its
open data downloads and the API filter by a code and its descendants, and show each item's
codes; the autocomplete's suggestions come from the API."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import api, factories
from .web import REGISTRY_QUERIES, main_part

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def suppliers():
    """Meal delivery (below catering), restaurants (beside it) and cleaning."""
    return {
        "delivery": factories.certificate(items=("Obiady z dowozem",), cpv_codes=("55521200-0",)),
        "restaurant": factories.certificate(items=("Bistro",), cpv_codes=("55300000-3",)),
        "cleaning": factories.certificate(items=("Sprzątanie",), cpv_codes=("90911200-8",)),
    }


def numbers_in(html: str, suppliers: dict) -> set[str]:
    return {name for name, c in suppliers.items() if f">{c.number}</a>" in html}


def registry(client, **params) -> str:
    response = client.get(reverse("registry"), params)
    assert response.status_code == 200
    return main_part(response.content.decode())


def test_catering_finds_meal_delivery_not_restaurants(client, suppliers):
    html = registry(client, cpv="55520000-1")

    assert numbers_in(html, suppliers) == {"delivery"}
    assert "1 certificate found." in html


def test_codes_pasted_from_a_notice_with_their_wording(client, suppliers):
    pasted = "55520000-1 Usługi dostarczania posiłków\n90910000-9 Usługi sprzątania"

    html = registry(client, cpv=pasted)

    assert numbers_in(html, suppliers) == {"delivery", "cleaning"}


def test_wrong_codes_are_named_and_the_others_still_find_suppliers(client, suppliers):
    html = registry(client, cpv="55520000-2, 5552000, 99999999-9, 90910000")

    assert 'class="error-summary"' in html
    assert "Not CPV codes: 5552000." in html
    assert "Not in the CPV 2008 vocabulary: 99999999-9." in html
    assert "Wrong check digit (the digit after the dash): 55520000-2." in html
    assert "The list shows the suppliers of the other codes: 90910000-9." in html
    assert numbers_in(html, suppliers) == {"cleaning"}
    # The downloads hold what the list shows: the code found, not the wrong ones.
    assert f"{reverse('registry_csv')}?cpv=90910000-9" in html


def test_no_code_recognised_shows_no_supplier(client, suppliers):
    html = registry(client, cpv="12345678-9")

    assert "No code was recognised, so the list shows no supplier." in html
    assert numbers_in(html, suppliers) == set()


def test_registry_rows_and_certificate_page_show_the_codes(client, suppliers):
    html = registry(client)
    assert "55521200-0" in html and "90911200-8" in html

    delivery = suppliers["delivery"]
    page = client.get(reverse("certificate_detail", args=[delivery.number.replace("/", "-")]))
    text = main_part(page.content.decode())
    assert "55521200-0</span></a> Meal delivery service" in text
    assert f'href="{reverse("registry")}?cpv=55521200-0"' in text


def test_registry_query_count_is_unchanged_by_the_codes(client):
    factories.certificate(items=("A",))
    with CaptureQueriesContext(connection) as plain:
        registry(client)
    for _ in range(5):
        factories.certificate(
            items=("A", "B", "C"), cpv_codes=("55520000-1", "55521200-0", "90910000-9")
        )
    with CaptureQueriesContext(connection) as coded:
        html = registry(client)
    cache.clear()  # the towns and years are read again, as on the first visit after a change
    with CaptureQueriesContext(connection) as filtered:
        registry(client, cpv="55520000-1 90910000-9 18100000-0")

    assert "90910000-9" in html
    assert len(plain) == len(coded) == REGISTRY_QUERIES
    assert len(filtered) == REGISTRY_QUERIES + 1  # the codes asked for, looked up at once


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_and_json_downloads_filter_by_code_and_list_the_codes(client, suppliers):
    rows = csv_rows(client.get(reverse("registry_csv"), {"cpv": "55520000-1"}))
    assert [(r["number"], r["cpv"]) for r in rows] == [(suppliers["delivery"].number, "55521200-0")]

    response = client.get(reverse("registry_json"), {"cpv": "90000000-7"})  # the division
    data = json.loads(b"".join(response.streaming_content))
    (entry,) = data["certificates"]
    assert entry["number"] == suppliers["cleaning"].number
    assert entry["cpv"] == ["90911200-8"]
    assert entry["items"][0]["cpv"] == ["90911200-8"]


def test_a_download_with_a_wrong_code_is_refused_naming_it(client, suppliers):
    response = client.get(reverse("registry_csv"), {"cpv": "55520000-2"})

    assert response.status_code == 400
    assert "Wrong check digit (the digit after the dash): 55520000-2." in response.content.decode()


SEARCH = "/api/v1/certificates"


def test_api_search_by_codes(suppliers):
    client = api.client("en")

    found = api.get(client, SEARCH, cpv="55520000-1, 90910000-9")

    assert found.status_code == 200
    numbers = {r["number"] for r in found.json()["results"]}
    assert numbers == {suppliers["delivery"].number, suppliers["cleaning"].number}
    item = next(r for r in found.json()["results"] if r["number"] == suppliers["cleaning"].number)
    assert item["items"][0]["cpv"] == ["90911200-8"]


@pytest.mark.parametrize(
    ("cpv", "code", "message"),
    [
        ("55520000-2", "unknown_cpv", "Wrong check digit (the digit after the dash): 55520000-2."),
        ("99999999", "unknown_cpv", "Not in the CPV 2008 vocabulary: 99999999."),
        ("catering", "invalid_cpv", "Give CPV codes separated by commas or spaces"),
    ],
)
def test_api_refuses_wrong_codes_with_a_clear_400(suppliers, cpv, code, message):
    response = api.get(api.client("en"), SEARCH, cpv=cpv)

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert response.json()["parameter"] == "cpv"
    assert message in response.json()["message"]


def test_api_links_to_the_next_page_keep_the_codes(client):
    for _ in range(3):
        factories.certificate(cpv_codes=("55520000-1",))

    page = api.get(api.client(), SEARCH, cpv="55520000", page_size=2).json()

    assert page["count"] == 3
    assert "cpv=55520000-1" in page["next"]


SUGGEST = "/api/v1/cpv-codes"


def test_suggestions_by_words_in_polish_or_english():
    factories.cpv_vocabulary()

    polish = api.get(api.client(), SUGGEST, q="posiłków").json()
    english = api.get(api.client("en"), SUGGEST, q="catering", limit=2).json()

    assert "55520000-1" in [s["code"] for s in polish]
    assert polish[0]["label"] == polish[0]["label_pl"]  # Polish pages by default
    assert [s["code"] for s in english] == ["55500000-5", "55520000-1"]
    assert english[1] == {
        "code": "55520000-1",
        "label": "Catering services",
        "label_pl": "Usługi dostarczania posiłków",
        "label_en": "Catering services",
        "level": 4,
    }


def test_suggestions_by_digits_and_for_nothing():
    factories.cpv_vocabulary()

    by_digits = api.get(api.client(), SUGGEST, q="555212").json()
    nothing = api.get(api.client(), SUGGEST, q="zzzz").json()

    assert [s["code"] for s in by_digits] == ["55521200-0"]
    assert nothing == []


def test_suggestions_are_rate_limited_like_the_rest_of_the_api(settings):
    settings.API_RATE_LIMIT = "2/m"
    factories.cpv_vocabulary()
    client = api.client()

    answers = [client.get(SUGGEST, {"q": "catering"}).status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_suggestions_refuse_a_nul_character():
    response = api.get(Client(), SUGGEST, q="a\x00b")

    assert response.status_code == 400
    assert response.json()["parameter"] == "q"
