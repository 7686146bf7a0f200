"""Broad searches count at most 1,000 matches: the page and the API say there are more, and
their pages reach the first 1,000."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from certification.models import Certificate
from certification.registry import COUNT_CAP, SORTS

from . import api

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/v1/certificates"


@pytest.fixture
def more_than_the_cap():
    # The generator, not factories: 1,030 certificates in bulk, in about a second.
    call_command("generate_certificates", "--count", "1030", stdout=io.StringIO())


def test_registry_page_says_more_than_the_cap(client, more_than_the_cap):
    html = client.get(reverse("registry")).content.decode()
    assert "More than 1,000 certificates found; the list shows the first 1,000." in html
    assert "certificates found." not in html.replace("More than 1,000 certificates found;", "")
    assert '<a href="?page=50">50</a>' in html


def test_registry_page_last_page_within_the_cap_works_and_past_it_is_404(client, more_than_the_cap):
    last = client.get(reverse("registry"), {"page": 50})
    assert last.status_code == 200
    assert "Showing 981–1000." in last.content.decode()
    assert client.get(reverse("registry"), {"page": 51}).status_code == 404


def test_registry_page_exact_count_below_the_cap(client, more_than_the_cap):
    year = Certificate.objects.order_by("year").values_list("year", flat=True).first()
    expected = Certificate.objects.filter(year=year).count()
    assert expected < COUNT_CAP
    html = client.get(reverse("registry"), {"year": year}).content.decode()
    assert f"{expected} certificates found." in html
    assert "More than" not in html


def test_api_count_is_capped_and_says_so(more_than_the_cap):
    body = api.get(api.client(), URL, page_size=100).json()
    assert (body["count"], body["count_is_capped"], body["pages"]) == (1000, True, 10)
    last = api.get(api.client(), URL, page_size=100, page=10).json()
    assert len(last["results"]) == 100 and last["next"] is None
    past = api.get(api.client(), URL, page_size=100, page=11)
    assert past.status_code == 404


def test_api_count_below_the_cap_is_exact(more_than_the_cap):
    year = Certificate.objects.order_by("year").values_list("year", flat=True).first()
    body = api.get(api.client(), URL, year=year).json()
    assert body["count"] == Certificate.objects.filter(year=year).count()
    assert body["count_is_capped"] is False


def test_capped_and_exact_pages_list_the_same_order(more_than_the_cap):
    """The few-matches plan sorts the matches itself: the order must be the page's."""
    year = Certificate.objects.order_by("year").values_list("year", flat=True).first()
    for sort in ("-number", "organization", "-issued", "valid_until"):
        body = api.get(api.client(), URL, year=year, sort=sort, page_size=100).json()
        shown = [c["number"] for c in body["results"]]
        expected = list(
            Certificate.objects.filter(year=year)
            .order_by(*SORTS[sort])
            .values_list("number", flat=True)[:100]
        )
        assert shown == expected
