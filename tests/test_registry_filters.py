"""The registry's filters (status, legal form, kind, town, year), sorting with accessible column
headings, bad values, pages and a constant number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.choices import LegalForm
from certification.models import ApplicationItem, Certificate

from . import factories
from .web import REGISTRY_QUERIES

# English pages (tests/conftest.py), so the assertions read the msgids.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def make(*, name="Spółdzielnia", form=LegalForm.SOCIAL_COOPERATIVE, town="Katowice", **kwargs):
    organization = factories.OrganizationFactory(name=name, legal_form=form, town=town)
    return factories.certificate(organization=organization, **kwargs)


def services_only(certificate):
    ApplicationItem.objects.filter(certificates=certificate).update(kind="service")
    return certificate


def listed(client, **params):
    """The certificate numbers on the page, in the order shown."""
    response = client.get(reverse("registry"), params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', html), html


@pytest.fixture
def mix():
    return {
        "cooperative": make(name="Alfa", items=("Chleb",)),
        "foundation": services_only(
            make(name="Beta", form=LegalForm.FOUNDATION, town="Łódź", items=("Sprzątanie",))
        ),
        "old": make(
            name="Gamma",
            form=LegalForm.ASSOCIATION,
            town="Bielsko-Biała",
            issued_on=datetime.date(TODAY.year - 2, 3, 1),
            valid_until=datetime.date(TODAY.year - 1, 2, 28),
        ),
        "lapsed_suspension": make(
            name="Delta",
            status="suspended",
            issued_on=TODAY - 400 * DAY,
            valid_until=TODAY - 35 * DAY,
        ),
        "suspended": make(name="Epsilon", status="suspended", town="lodz "),
        "revoked": make(name="Zeta", status="revoked"),
    }


def numbers(mix, *keys):
    return {mix[k].number for k in keys}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("valid", {"cooperative", "foundation"}),
        # A suspended certificate past its date shows as expired, as on its own page.
        ("expired", {"old", "lapsed_suspension"}),
        ("suspended", {"suspended"}),
        ("revoked", {"revoked"}),
    ],
)
def test_filter_by_status_as_shown_today(client, mix, status, expected):
    shown, html = listed(client, status=status)
    assert set(shown) == numbers(mix, *expected)


def test_lapsed_suspension_is_tagged_expired(client, mix):
    _, html = listed(client, status="expired", q=mix["lapsed_suspension"].number)
    assert 'class="tag tag-expired"' in html
    assert "tag-suspended" not in html


def test_filter_by_legal_form(client, mix):
    shown, _ = listed(client, legal_form=LegalForm.FOUNDATION)
    assert set(shown) == numbers(mix, "foundation")


def test_filter_by_kind_of_item(client, mix):
    services, _ = listed(client, kind="service")
    products, _ = listed(client, kind="product")
    assert set(services) == numbers(mix, "foundation")
    assert set(products) == set(numbers(mix, *mix)) - numbers(mix, "foundation")


def test_certificate_with_products_and_services_is_listed_once(client):
    certificate = make(items=("Usługa A", "Usługa B", "Produkt"))
    ApplicationItem.objects.filter(name__startswith="Usługa").update(kind="service")
    shown, _ = listed(client, kind="service")
    assert shown == [certificate.number]


def test_town_choices_group_spellings_and_show_the_accented_one(client, mix):
    _, html = listed(client)
    assert '<option value="lodz">Łódź</option>' in html
    assert '<option value="bielsko-biala">Bielsko-Biała</option>' in html
    assert html.count('value="lodz"') == 1


def test_filter_by_town_finds_every_spelling(client, mix):
    shown, html = listed(client, town="lodz")
    assert set(shown) == numbers(mix, "foundation", "suspended")
    assert '<option value="lodz" selected>Łódź</option>' in html


def test_filter_by_year_of_issue(client, mix):
    shown, html = listed(client, year=TODAY.year - 2)
    assert set(shown) == numbers(mix, "old")
    assert f'<option value="{TODAY.year}">{TODAY.year}</option>' in html


def test_filters_combine(client, mix):
    shown, _ = listed(client, town="lodz", status="valid", kind="service", q="beta")
    assert shown == [mix["foundation"].number]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"legal_form": "<script>x</script>"}, "Choose a legal form from the list."),
        ({"kind": "both"}, "Choose products, services or both."),
        ({"town": "Nibylandia"}, "Choose a town from the list."),
        ({"year": "abc"}, "Choose a year from the list."),
        ({"year": "9" * 40}, "Choose a year from the list."),
        ({"year": "1999"}, "Choose a year from the list."),
        ({"sort": "organization; DROP TABLE x"}, "Choose an order from the list."),
    ],
)
def test_bad_filter_values_are_named_and_ignored(client, mix, params, message):
    shown, html = listed(client, **params)
    assert message in html
    assert "<script>x" not in html
    assert set(shown) == numbers(mix, *mix)


def test_filters_are_labelled_controls_with_a_submit_button(client, mix):
    _, html = listed(client)
    for name in ("q", "status", "legal_form", "kind", "town", "year", "sort"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    assert '<button type="submit" class="button">Search</button>' in html
    assert "<legend>Narrow the list</legend>" in html


class TestSorting:
    @pytest.fixture
    def three(self):
        return [
            make(name="Bravo", issued_on=TODAY - 10 * DAY, valid_until=TODAY + 300 * DAY),
            make(name="Charlie", issued_on=TODAY - 30 * DAY, valid_until=TODAY + 100 * DAY),
            make(name="Alpha", issued_on=TODAY - 20 * DAY, valid_until=TODAY + 200 * DAY),
        ]

    @pytest.mark.parametrize(
        ("sort", "order"),
        [
            ("", [2, 1, 0]),
            ("-number", [2, 1, 0]),
            ("number", [0, 1, 2]),
            ("organization", [2, 0, 1]),
            ("-organization", [1, 0, 2]),
            ("issued", [1, 2, 0]),
            ("-issued", [0, 2, 1]),
            ("valid_until", [1, 2, 0]),
            ("-valid_until", [0, 2, 1]),
        ],
    )
    def test_sort_orders(self, client, three, sort, order):
        shown, _ = listed(client, sort=sort)
        assert shown == [three[i].number for i in order]

    def test_default_order_marks_the_number_column(self, client, three):
        _, html = listed(client)
        assert (
            '<th scope="col" aria-sort="descending"><a href="?sort=number" class="sort-link">'
            'Number<span class="visually-hidden">, sort in ascending order</span>'
        ) in html
        assert html.count("aria-sort=") == 1

    def test_active_column_link_reverses_the_order_and_keeps_filters(self, client, three):
        _, html = listed(client, q="a", sort="organization", page="1")
        assert (
            '<th scope="col" aria-sort="ascending"><a href="?q=a&amp;sort=-organization" '
            'class="sort-link">Organisation<span class="visually-hidden">, sort in descending '
            "order</span>"
        ) in html
        assert 'href="?q=a&amp;sort=issued"' in html  # another column: ascending, page 1
        assert "page=" not in re.search(r"<thead>.*</thead>", html, re.S)[0]

    def test_unsortable_columns_are_plain_headings(self, client, three):
        _, html = listed(client)
        for heading in ("Town", "Products and services", "Status"):
            assert f'<th scope="col">{heading}</th>' in html


class TestPages:
    @pytest.fixture
    def many(self):
        return [make(name=f"Org {n:02d}") for n in range(21)]

    @pytest.mark.parametrize("page", ["abc", "", "1e3", "%00", "-"])
    def test_page_not_a_number_is_page_one(self, client, many, page):
        shown, _ = listed(client, page=page, sort="organization")
        assert shown == [c.number for c in many[:20]]

    @pytest.mark.parametrize("page", ["0", "-5", "3", "9" * 30])
    def test_page_out_of_range_is_404(self, client, many, page):
        response = client.get(reverse("registry"), {"page": page, "status": "valid"})
        assert response.status_code == 404

    def test_second_page_keeps_filters_and_order(self, client, many):
        shown, html = listed(client, sort="organization", kind="product", page=2)
        assert shown == [many[20].number]
        assert 'href="?sort=organization&amp;kind=product&amp;page=1"' in html


def test_query_count_is_the_same_for_one_and_many_with_every_filter(client):
    params = {
        "q": "spoldzielnia",
        "status": "valid",
        "legal_form": LegalForm.SOCIAL_COOPERATIVE,
        "kind": "product",
        "town": "katowice",
        "year": str(TODAY.year),
        "sort": "-organization",
    }
    make(items=("A", "B"))
    with CaptureQueriesContext(connection) as one:
        assert "1 certificate found." in client.get(reverse("registry"), params).content.decode()
    for n in range(24):
        make(name=f"Spółdzielnia {n}", items=("A", "B", "C"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("registry"), {**params, "page": "2"})
    assert "25 certificates found." in response.content.decode()
    assert len(one) == len(many) == REGISTRY_QUERIES
    assert Certificate.objects.count() == 25


def test_sort_by_organisation_ignores_diacritics(client):
    names = ["Zorza", "Żółw", "Zebra", "Ąbc", "Abd"]
    made = {name: make(name=name) for name in names}
    shown, _ = listed(client, sort="organization")
    assert shown == [made[n].number for n in ("Ąbc", "Abd", "Zebra", "Żółw", "Zorza")]


def test_towns_and_years_are_cached_until_a_certificate_is_issued(client):
    make(town="Gliwice")
    listed(client)  # fills the cache
    with CaptureQueriesContext(connection) as warm:
        listed(client)
    assert len(warm) == REGISTRY_QUERIES - 2
    make(town="Zabrze", issued_on=datetime.date(TODAY.year - 3, 1, 10))
    _, html = listed(client)
    assert '<option value="zabrze">Zabrze</option>' in html
    assert f'<option value="{TODAY.year - 3}">' in html
