"""Organisations on the map: located from the gazetteer when created or when their address
changes, by every path; confirmed pins kept until the address changes; the command for
existing installations (issue 12 §2)."""

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from certification.choices import LocationSource
from certification.domain import organization_changes, organizations
from certification.models import AuditEvent, Organization

from . import factories, stages

pytestmark = pytest.mark.django_db

GLIWICE = (Decimal("50.29761"), Decimal("18.67658"))
KATOWICE = (Decimal("50.25970"), Decimal("19.02173"))
PIN = (Decimal("50.26123"), Decimal("19.00456"))


def point(organization) -> tuple:
    organization.refresh_from_db()
    return organization.latitude, organization.longitude, organization.location_source


def fields(**overrides) -> dict:
    return {
        "name": "Fundacja Mapa",
        "legal_form": "foundation",
        "nip": factories.VALID_NIPS[2],
        "regon": factories.VALID_REGON,
        "krs": "",
        "street": "ul. Zwycięstwa 5",
        "postal_code": "44-100",
        "town": "Gliwice",
        "powiat": "2466",
        "registration_date": "2020-01-01",
        "email": "biuro@example.pl",
    } | overrides


def confirm_pin(organization) -> None:
    """As an officer's confirmation leaves it (location_proposals.confirm_location)."""
    Organization.objects.filter(pk=organization.pk).update(
        latitude=PIN[0], longitude=PIN[1], location_source=LocationSource.CONFIRMED
    )


def test_registering_locates_the_organisation():
    user = factories.UserFactory()
    organization = organizations.register_organization(user=user, **fields())
    assert point(organization) == (*GLIWICE, LocationSource.LOCALITY)


def test_a_town_not_in_the_gazetteer_is_at_its_powiats_centre_and_nowhere_without_one():
    user = factories.UserFactory()
    village = organizations.register_organization(
        user=user, **fields(town="Przysiółek Nieznany", powiat="2408")
    )
    assert point(village) == (Decimal("50.14645"), Decimal("18.83754"), LocationSource.POWIAT)
    abroad = organizations.register_organization(
        user=user, **fields(nip=factories.VALID_NIPS[3], town="Przysiółek Nieznany", powiat="")
    )
    assert point(abroad) == (None, None, "")


def test_moving_to_another_town_moves_the_point():
    member = factories.applicant(factories.OrganizationFactory(town="Gliwice", powiat="2466"))
    organization = member.organizations.get()
    organizations.update_organization(
        organization=organization, user=member, town="Katowice", powiat="2469"
    )
    assert point(organization) == (*KATOWICE, LocationSource.LOCALITY)


def test_a_confirmed_pin_stays_through_other_changes_and_goes_back_when_the_address_changes():
    member = factories.applicant()
    organization = member.organizations.get()
    confirm_pin(organization)

    organizations.update_organization(organization=organization, user=member, phone="32 1234567")
    assert point(organization) == (*PIN, LocationSource.CONFIRMED)
    assert not AuditEvent.objects.filter(action="organization.location_reset").exists()

    organizations.update_organization(organization=organization, user=member, street="ul. Nowa 2")
    assert point(organization) == (*KATOWICE, LocationSource.LOCALITY)
    reset = AuditEvent.objects.get(action="organization.location_reset")
    assert reset.actor == member
    assert reset.details["before"] == ["50.26123", "19.00456"]
    assert reset.details["after"] == ["50.25970", "19.02173"]


def test_an_approved_change_of_address_of_a_certified_organisation_moves_it():
    member = factories.applicant()
    organization = member.organizations.get()
    factories.certificate(organization=organization)
    confirm_pin(organization)
    officer = factories.officer()
    request = organization_changes.file_request(
        organization=organization, user=member, town="Gliwice", powiat="2466"
    )
    assert point(organization)[2] == LocationSource.CONFIRMED  # not before the approval

    organization_changes.approve_request(change_request=request, officer=officer)
    assert point(organization) == (*GLIWICE, LocationSource.LOCALITY)
    assert AuditEvent.objects.get(action="organization.location_reset").actor == officer


def test_an_organisation_registered_from_paper_is_located():
    c = stages.cast()
    application = stages.paper_submitted(c)
    organization = application.organization
    organization.refresh_from_db()
    assert organization.latitude is not None
    assert organization.location_source in (LocationSource.LOCALITY, LocationSource.POWIAT)


def test_organisations_imported_from_the_old_registry_are_located():
    factories.cpv_vocabulary()
    example = Path(__file__).parent / "data" / "registry_example.csv"
    with translation.override("pl"):
        call_command("import_registry", str(example), stdout=io.StringIO())
    gliwice = Organization.objects.get(nip="7251801126")  # no powiat in the file: unique name
    assert point(gliwice) == (*GLIWICE, LocationSource.LOCALITY)


def run_command() -> str:
    out = io.StringIO()
    call_command("locate_organizations", stdout=out)
    return out.getvalue()


def test_the_command_locates_existing_rows_keeps_confirmed_pins_and_is_idempotent():
    # Rows as an installation older than the map has them: no points.
    katowice = factories.OrganizationFactory(town="Katowice", powiat="2469")
    nowhere = factories.OrganizationFactory(town="Przysiółek Nieznany", powiat="")
    pinned = factories.OrganizationFactory(town="Gliwice", powiat="2466")
    confirm_pin(pinned)
    Organization.objects.exclude(pk=pinned.pk).update(
        latitude=None, longitude=None, location_source=""
    )

    assert run_command().strip() == (
        "located: 1, not found: 1, confirmed pins kept: 1, changed now: 1"
    )
    assert point(katowice) == (*KATOWICE, LocationSource.LOCALITY)
    assert point(nowhere) == (None, None, "")
    assert point(pinned) == (*PIN, LocationSource.CONFIRMED)
    event = AuditEvent.objects.get(action="organization.located")
    assert event.details["changed"] == 1

    assert run_command().strip().endswith("changed now: 0")
    assert AuditEvent.objects.filter(action="organization.located").count() == 1


def test_an_organisation_registered_before_the_map_is_located_on_its_next_change():
    member = factories.applicant(factories.OrganizationFactory(town="Katowice", powiat="2469"))
    organization = member.organizations.get()
    assert point(organization) == (None, None, "")
    organizations.update_organization(organization=organization, user=member, phone="32 1234567")
    assert point(organization) == (*KATOWICE, LocationSource.LOCALITY)
    assert not AuditEvent.objects.filter(action="organization.location_reset").exists()
