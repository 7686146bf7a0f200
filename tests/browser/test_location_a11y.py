"""The pages of a pin on the map, in Polish, pass the axe scan and the keyboard pass; a member
proposes a point with the keyboard alone, and an officer confirms it (issue 12 §2).

Follows test_pages_a11y.py: each case builds its data, opens the page as the user who sees it
and returns a part of the title it expects.
"""

from decimal import Decimal

import pytest

from certification.choices import LocationSource
from certification.domain import location_proposals, organizations
from certification.models import LocationProposal, Organization
from tests import factories

from .a11y import check_page
from .conftest import open_as

pytestmark = pytest.mark.django_db(transaction=True)


def _member():
    user = factories.UserFactory()
    organizations.register_organization(
        user=user,
        name="Fundacja „Pinezka”",
        legal_form="foundation",
        nip=factories.VALID_NIPS[0],
        regon=factories.VALID_REGON,
        krs="",
        street="ul. Zwycięstwa 5",
        postal_code="44-100",
        town="Gliwice",
        powiat="2466",
        registration_date="2020-01-01",
        email="pinezka@example.pl",
    )
    return user, user.organizations.get()


def _proposed():
    member, organization = _member()
    proposal = location_proposals.propose_location(
        organization=organization, user=member, latitude="50.29412", longitude="18.66543"
    )
    return member, proposal


def location_page(page):
    member, organization = _member()
    open_as(page, member, f"/wnioskodawca/organizacje/{organization.pk}/lokalizacja/")
    return "Lokalizacja na mapie"


def location_page_error(page):
    member, organization = _member()
    open_as(page, member, f"/wnioskodawca/organizacje/{organization.pk}/lokalizacja/")
    page.get_by_label("Szerokość geograficzna").fill("19.1")
    page.get_by_label("Długość geograficzna").fill("50.2")
    page.get_by_role("button", name="Wyślij punkt do ROPS").click()
    page.get_by_role("alert").wait_for()
    return "Błąd"


def location_page_waiting(page):
    member, proposal = _proposed()
    open_as(page, member, f"/wnioskodawca/organizacje/{proposal.organization_id}/lokalizacja/")
    return "Lokalizacja na mapie"


def staff_queue(page):
    _member, _proposal = _proposed()
    open_as(page, factories.officer(), "/obsluga/lokalizacje/")
    return "Lokalizacje na mapie"


def staff_proposal(page):
    _member, proposal = _proposed()
    open_as(page, factories.officer(), f"/obsluga/lokalizacje/{proposal.pk}/")
    return "Proponowana lokalizacja"


PAGES = [location_page, location_page_error, location_page_waiting, staff_queue, staff_proposal]


@pytest.mark.parametrize("open_page", PAGES, ids=lambda f: f.__name__)
def test_location_page_is_accessible(page, open_page):
    assert open_page(page) in page.title()
    assert page.locator("html").get_attribute("lang") == "pl"
    assert check_page(page) == []


def test_a_member_proposes_with_the_keyboard_and_an_officer_confirms(page):
    member, organization = _member()
    open_as(page, member, f"/wnioskodawca/organizacje/{organization.pk}/lokalizacja/")
    page.get_by_label("Szerokość geograficzna").fill("50.29412")
    page.get_by_label("Długość geograficzna").fill("18.66543")
    page.get_by_label("Długość geograficzna").press("Enter")
    page.get_by_text("Czeka na urzędnika").wait_for()
    proposal = LocationProposal.objects.get()

    page.context.clear_cookies()  # log out
    open_as(page, factories.officer(), "/obsluga/lokalizacje/")
    page.get_by_role("link", name=organization.name).click()
    page.get_by_role("button", name="Potwierdź lokalizację").click()
    page.wait_for_url("**/obsluga/lokalizacje/")

    organization = Organization.objects.get(pk=organization.pk)
    assert (organization.latitude, organization.longitude) == (
        Decimal("50.29412"),
        Decimal("18.66543"),
    )
    assert organization.location_source == LocationSource.CONFIRMED
    proposal.refresh_from_db()
    assert not proposal.is_pending
