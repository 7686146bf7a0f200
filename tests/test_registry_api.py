"""The API's search follows the registry page: diacritics, the new filters and the order."""

import datetime

import pytest
from django.utils import timezone

from certification.choices import LegalForm
from certification.models import ApplicationItem

from . import api, factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/certificates"
TODAY = timezone.localdate()


@pytest.fixture
def client():
    return api.client()


@pytest.fixture
def three():
    foundation = factories.OrganizationFactory(
        name="Fundacja Ślązacy", legal_form=LegalForm.FOUNDATION, town="Łódź"
    )
    service = factories.certificate(organization=foundation, items=("Sprzątanie",))
    ApplicationItem.objects.filter(certificates=service).update(kind="service")
    return {
        "service": service,
        "old": factories.certificate(
            organization=factories.OrganizationFactory(name="Alfa"),
            issued_on=datetime.date(TODAY.year - 2, 5, 1),
            valid_until=datetime.date(TODAY.year - 1, 4, 30),
        ),
        "zolc": factories.certificate(items=("Żółć w słoiku",)),
    }


def numbers(response) -> list[str]:
    return [c["number"] for c in response.json()["results"]]


@pytest.mark.parametrize("q", ["ZOLC", "zolc", "żółć w"])
def test_api_search_ignores_diacritics_and_case(client, three, q):
    assert numbers(api.get(client, URL, q=q)) == [three["zolc"].number]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"legal_form": "foundation"}, ["service"]),
        ({"kind": "service"}, ["service"]),
        ({"town": "LODZ"}, ["service"]),
        ({"town": "Łódź"}, ["service"]),
        ({"year": TODAY.year - 2}, ["old"]),
        ({"q": "slazacy", "status": "valid", "kind": "service"}, ["service"]),
    ],
)
def test_api_filters_like_the_page(client, three, params, expected):
    assert numbers(api.get(client, URL, **params)) == [three[k].number for k in expected]


def test_api_town_without_certificates_finds_nothing(client, three):
    assert api.get(client, URL, town="Nibylandia").json()["count"] == 0


def test_api_sort(client, three):
    by_name = numbers(api.get(client, URL, sort="organization"))
    assert by_name[0] == three["old"].number  # Alfa
    assert numbers(api.get(client, URL, sort="issued"))[0] == three["old"].number
    assert numbers(api.get(client, URL, sort="-number")) == sorted(by_name, reverse=True)


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"legal_form": "spółka"}, "legal_form"),
        ({"kind": "both"}, "kind"),
        ({"year": "abc"}, "year"),
        ({"year": "99999"}, "year"),
        ({"sort": "name; DROP TABLE x"}, "sort"),
        ({"town": "x" * 101}, "town"),
        ({"town": "a\x00b"}, "town"),
    ],
)
def test_api_bad_filter_values_are_400(client, params, parameter):
    response = api.get(client, URL, **params)
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
