"""The public registry: every certificate with its status, search, status filter, pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certification.views.public import REGISTRY_PAGE_SIZE

from . import factories
from .web import REGISTRY_QUERIES

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def registry(client, **params):
    response = client.get(reverse("registry"), params)
    return response, response.content.decode()


def numbers_in(html, certificates):
    return {c.number for c in certificates if f">{c.number}</a>" in html}


def test_registry_lists_every_status_with_its_tag(client, four):
    response, html = registry(client)
    assert response.status_code == 200
    assert numbers_in(html, four.values()) == {c.number for c in four.values()}
    for status in ("valid", "expired", "suspended", "revoked"):
        assert f'class="tag tag-{status}"' in html
    assert "4 certificates found." in html


def test_registry_row_has_all_columns(client, four):
    certificate = four["valid"]
    _, html = registry(client)
    for text in (
        certificate.organization.name,
        certificate.organization.town,
        "Pierogi ruskie",
        certificate.issued_on.strftime("%Y-%m-%d"),
        certificate.valid_until.strftime("%Y-%m-%d"),
    ):
        assert text in html
    slug = certificate.number.replace("/", "-")
    assert f'href="{reverse("certificate_detail", kwargs={"slug": slug})}"' in html
    assert '<th scope="col">Status</th>' in html


def test_registry_empty_says_so(client):
    _, html = registry(client)
    assert "No certificates have been issued yet." in html
    assert "<table" not in html


@pytest.mark.parametrize(
    "status,expected", [("valid", "valid"), ("expired", "expired"), ("suspended", "suspended")]
)
def test_registry_filters_by_public_status(client, four, status, expected):
    _, html = registry(client, status=status)
    assert numbers_in(html, four.values()) == {four[expected].number}


def test_registry_filter_revoked(client, four):
    _, html = registry(client, status="revoked")
    assert numbers_in(html, four.values()) == {four["revoked"].number}


def test_registry_unknown_status_is_an_error_not_a_crash(client, four):
    response, html = registry(client, status="<b>bogus</b>")
    assert response.status_code == 200
    assert "Choose a status from the list." in html
    assert "<b>bogus</b>" not in html
    assert numbers_in(html, four.values()) == {c.number for c in four.values()}


def test_registry_search_by_organisation_name(client, four):
    name = four["expired"].organization.name
    _, html = registry(client, q=name)
    assert numbers_in(html, four.values()) == {four["expired"].number}


def test_registry_search_ignores_case(client, four):
    # Only ASCII letters change case here: SQLite folds no others (PostgreSQL folds all).
    _, html = registry(client, q="SPRZąTANIE BIUR")
    assert numbers_in(html, four.values()) == {four["expired"].number}


def test_registry_search_by_nip_with_dashes(client, four):
    nip = four["suspended"].organization.nip
    _, html = registry(client, q=f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}")
    assert numbers_in(html, four.values()) == {four["suspended"].number}


def test_registry_search_by_number_typed_with_dashes(client, four):
    _, html = registry(client, q=four["revoked"].number.replace("/", "-").lower())
    assert numbers_in(html, four.values()) == {four["revoked"].number}


def test_registry_search_by_item_name(client, four):
    _, html = registry(client, q="ogrodnicze")
    assert numbers_in(html, four.values()) == {four["revoked"].number}


def test_registry_search_and_status_together(client, four):
    _, html = registry(client, q="Spółdzielnia", status="valid")
    assert numbers_in(html, four.values()) == {four["valid"].number}


def test_registry_search_with_no_match_says_so(client, four):
    _, html = registry(client, q="nie ma takiej firmy")
    assert "No certificate matches your search." in html
    assert f'href="{reverse("registry")}"' in html  # clear the search


def test_registry_search_escapes_markup(client, four):
    response, html = registry(client, q="<script>alert(1)</script>' OR 1=1 --")
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_registry_search_too_long_is_an_error_not_a_crash(client, four):
    response, html = registry(client, q="x" * 10_000)
    assert response.status_code == 200
    assert "Search for at most 200 characters." in html


def test_registry_item_with_many_certificates_listed_once(client):
    certificate = factories.certificate(items=("Catering A", "Catering B", "Catering C"))
    _, html = registry(client, q="Catering")
    assert html.count(f">{certificate.number}</a>") == 1


class TestPagination:
    @pytest.fixture
    def many(self):
        return [factories.certificate() for _ in range(REGISTRY_PAGE_SIZE + 1)]

    def test_first_page_links_to_the_next(self, client, many):
        _, html = registry(client)
        assert len(numbers_in(html, many)) == REGISTRY_PAGE_SIZE
        assert '<a href="?page=2" rel="next">Next page</a>' in html
        assert '<a href="?page=1" aria-current="page">' in html

    def test_second_page_shows_the_rest(self, client, many):
        _, html = registry(client, page=2)
        # Newest first: the oldest certificate is alone on page 2.
        assert numbers_in(html, many) == {many[0].number}
        assert 'rel="prev"' in html
        assert "<title>Registry of certificates (page 2 of 2)" in html

    def test_page_links_keep_the_search(self, client, many):
        _, html = registry(client, q="Spółdzielnia", status="valid")
        assert "page=2" in html
        assert "q=Sp%C3%B3%C5%82dzielnia&amp;status=valid&amp;page=2" in html

    @pytest.mark.parametrize("page", ["abc", "", "1.5", "9" * 5_000])
    def test_page_not_a_number_shows_page_one(self, client, many, page):
        response, html = registry(client, page=page)
        assert response.status_code == 200
        assert len(numbers_in(html, many)) == REGISTRY_PAGE_SIZE

    @pytest.mark.parametrize("page", ["0", "-1", "3", "99999999999999999999"])
    def test_page_out_of_range_is_404(self, client, many, page):
        response, _ = registry(client, page=page)
        assert response.status_code == 404


def test_registry_query_count_does_not_grow_with_certificates(client):
    factories.certificate(items=("A", "B"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("registry")).status_code == 200
    for _ in range(9):
        factories.certificate(items=("A", "B", "C"))
    with CaptureQueriesContext(connection) as ten:
        response = client.get(reverse("registry"), {"q": "A", "status": "valid"})
    assert "10 certificates found." in response.content.decode()
    assert len(one) == len(ten) == REGISTRY_QUERIES
