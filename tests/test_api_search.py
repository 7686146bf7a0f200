"""API registry search: /api/v1/certificates?q=&status=&page=&page_size=."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from . import api, factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/certificates"
# Count, the page of certificates with their organisations, their items.
SEARCH_QUERIES = 3


@pytest.fixture
def client():
    return api.client()


def numbers(response) -> set[str]:
    return {c["number"] for c in response.json()["results"]}


def test_search_without_filters_lists_every_status(client, four):
    response = api.get(client, URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert (body["page"], body["pages"], body["page_size"]) == (1, 1, 20)
    assert (body["next"], body["previous"]) == (None, None)
    assert {c["status"] for c in body["results"]} == {"valid", "expired", "suspended", "revoked"}


@pytest.mark.parametrize("status", ["valid", "expired", "suspended", "revoked"])
def test_search_by_status_as_shown_today(client, four, status):
    response = api.get(client, URL, status=status)

    assert numbers(response) == {four[status].number}


def test_search_by_item_name(client, four):
    assert numbers(api.get(client, URL, q="pierogi")) == {four["valid"].number}


def test_search_by_organisation_name(client, four):
    organization = four["revoked"].organization

    assert numbers(api.get(client, URL, q=organization.name)) == {four["revoked"].number}


def test_search_by_nip_with_separators(client, four):
    nip = four["suspended"].organization.nip
    spaced = f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}"

    assert numbers(api.get(client, URL, q=spaced)) == {four["suspended"].number}


def test_search_by_certificate_number_as_in_the_url(client, four):
    number = four["expired"].number

    assert numbers(api.get(client, URL, q=number.replace("/", "-"))) == {number}


def test_search_combines_text_and_status(client, four):
    assert numbers(api.get(client, URL, q="pierogi", status="revoked")) == set()


def test_search_finds_the_same_as_the_registry_page(client, four):
    page = client.get("/rejestr/", {"q": "Szycie", "status": "suspended"}).content.decode()
    found = numbers(api.get(client, URL, q="Szycie", status="suspended"))

    assert found == {four["suspended"].number}
    assert all(f">{number}</a>" in page for number in found)


def test_search_pages_through_results(client):
    made = [factories.certificate() for _ in range(5)]

    first = api.get(client, URL, page_size=2).json()
    last = api.get(client, URL, page_size=2, page=3).json()

    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    assert first["previous"] is None
    assert first["next"] == "http://127.0.0.1:8000/api/v1/certificates?page_size=2&page=2"
    assert len(last["results"]) == 1
    assert last["next"] is None
    seen = [c["number"] for c in first["results"]] + [c["number"] for c in last["results"]]
    assert len(set(seen)) == 3
    assert set(seen) <= {c.number for c in made}


def test_search_next_link_works(client):
    for _ in range(3):
        factories.certificate()

    next_url = api.get(client, URL, page_size=2).json()["next"]
    response = api.check(client.get(next_url.removeprefix("http://127.0.0.1:8000")))

    assert response.json()["page"] == 2
    assert len(response.json()["results"]) == 1


def test_search_with_no_results_is_an_empty_first_page(client):
    body = api.get(client, URL, q="nie ma takiego").json()

    assert (body["count"], body["pages"], body["results"]) == (0, 1, [])


def test_search_page_past_the_last_is_404_with_a_message(client, four):
    response = api.get(api.client("en"), URL, page=2)

    assert response.status_code == 404
    assert response.json() == {
        "message": "There is no page 2 of these results; the last one is 1.",
        "code": "no_such_page",
        "parameter": "page",
    }


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "99999999999999999999999999"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"status": "nieważny"}, "status"),
        ({"status": "' OR '1'='1"}, "status"),
        ({"q": "x" * 10_000}, "q"),
        ({"q": "abc\x00def"}, "q"),
    ],
)
def test_search_bad_parameters_are_400_with_a_message(client, params, parameter):
    response = api.get(client, URL, **params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert body["parameter"] == parameter
    assert body["message"]
    assert "OR '1'" not in body["message"]


@pytest.mark.parametrize(
    "fragment",
    [
        "'; DROP TABLE certification_certificate; --",
        "' OR '1'='1",
        "%",
        "_",
        '<script>alert("x")</script>',
        "<img src=x onerror=alert(1)>",
        "żółć\\",
    ],
)
def test_search_sql_and_html_fragments_find_nothing_and_break_nothing(client, four, fragment):
    response = api.get(client, URL, q=fragment)

    assert response.status_code == 200
    assert response.json()["count"] == 0
    # The only echo is in the page links, and those are URL-encoded.
    assert "<script>" not in response.content.decode()
    assert api.get(client, URL).json()["count"] == 4


def test_search_message_for_a_too_long_query_in_english(client):
    response = api.get(api.client("en"), URL, q="x" * 201)

    assert response.json()["message"] == "Search for at most 200 characters."


def test_search_query_count_does_not_grow_with_the_page(client):
    for _ in range(3):
        factories.certificate(items=("A", "B"))
    with CaptureQueriesContext(connection) as small:
        api.get(client, URL)
    for _ in range(10):
        factories.certificate(items=("A", "B", "C"))
    with CaptureQueriesContext(connection) as large:
        api.get(client, URL, q="a")

    assert len(small) == len(large) == SEARCH_QUERIES
