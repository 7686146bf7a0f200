"""A member moves the organisation's pin on the map; an officer confirms or rejects it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from certification.choices import LocationProposalStatus, LocationSource
from certification.domain import location_proposals, organizations
from certification.domain.errors import DomainError
from certification.models import AuditEvent, LocationProposal, Notification

from . import factories
from .mail import polish, sent_mail
from .web import login, main_part

pytestmark = pytest.mark.django_db

LIST_URL = reverse("staff_locations")


@pytest.fixture
def member():
    """A member of an organisation in Katowice, placed by the gazetteer."""
    user = factories.UserFactory()
    organizations.register_organization(
        user=user,
        name="Spółdzielnia Socjalna „Pinezka”",
        legal_form="social_cooperative",
        nip=factories.VALID_NIPS[0],
        regon=factories.VALID_REGON,
        krs="",
        street="ul. Mariacka 1",
        postal_code="40-001",
        town="Katowice",
        powiat="2469",
        registration_date="2020-01-01",
        email="pinezka@example.pl",
    )
    return user


def page_url(organization) -> str:
    return reverse("organization_location", args=[organization.pk])


def propose(client, member, **data):
    organization = member.organizations.get()
    login(client, member)
    return client.post(page_url(organization), data)


def test_the_page_shows_the_point_and_a_labelled_form(client, member):
    organization = member.organizations.get()
    login(client, member)
    html = main_part(client.get(page_url(organization)).content.decode())
    assert "50.25970, 19.02173" in html
    assert "Its town in the gazetteer" in html
    assert '<label for="id_latitude"' in html and '<label for="id_longitude"' in html
    assert 'type="number"' in html
    assert "between 49.0 and 54.9" in html


def test_a_member_proposes_an_officer_confirms_and_the_members_are_told(client, member):
    organization = member.organizations.get()
    response = propose(client, member, latitude="50,26123", longitude="19.004561")
    assert response.status_code == 302
    proposal = LocationProposal.objects.get()
    assert (proposal.latitude, proposal.longitude) == (Decimal("50.26123"), Decimal("19.00456"))
    assert proposal.status == LocationProposalStatus.PENDING
    proposed = AuditEvent.objects.get(action="organization.location_proposed")
    assert (proposed.actor, proposed.details["latitude"]) == (member, "50.26123")
    # The map does not move before an officer confirms.
    organization.refresh_from_db()
    assert organization.location_source == LocationSource.LOCALITY
    html = main_part(client.get(page_url(organization)).content.decode())
    assert "Waiting for an officer" in html and 'name="latitude"' not in html

    officer = factories.officer()
    login(client, officer)
    listed = main_part(client.get(LIST_URL).content.decode())
    assert organization.name in listed and reverse("staff_location", args=[proposal.pk]) in listed
    assert "1.2 km" in listed  # from the gazetteer's Katowice
    response = client.post(reverse("staff_location", args=[proposal.pk]), {"action": "confirm"})
    assert response.status_code == 302

    organization.refresh_from_db()
    assert (organization.latitude, organization.longitude) == (
        Decimal("50.26123"),
        Decimal("19.00456"),
    )
    assert organization.location_source == LocationSource.CONFIRMED
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (LocationProposalStatus.CONFIRMED, officer)
    confirmed = AuditEvent.objects.get(action="organization.location_confirmed")
    assert confirmed.actor == officer
    assert confirmed.details["before"] == ["50.25970", "19.02173"]
    assert confirmed.details["after"] == ["50.26123", "19.00456"]
    (message,) = sent_mail()
    assert message.subject == polish("The location you proposed for the map has been confirmed")
    assert (message.to, message.bcc) == (["pinezka@example.pl"], [member.email])
    assert "50,26123" in message.body and page_url(organization) in message.body
    notice = Notification.objects.get(recipient=member)
    assert notice.kind == "location_decided" and notice.link == page_url(organization)


def test_an_officer_rejects_with_or_without_a_reason(client, member):
    organization = member.organizations.get()
    officer = factories.officer()
    first = location_proposals.propose_location(
        organization=organization, user=member, latitude="50.3", longitude="19.1"
    )
    login(client, officer)
    client.post(reverse("staff_location", args=[first.pk]), {"action": "reject"})
    first.refresh_from_db()
    assert (first.status, first.reason) == (LocationProposalStatus.REJECTED, "")

    second = location_proposals.propose_location(
        organization=organization, user=member, latitude="50.3", longitude="19.1"
    )
    client.post(
        reverse("staff_location", args=[second.pk]),
        {"action": "reject", "reject-reason": "To jest adres sąsiedniej firmy."},
    )
    second.refresh_from_db()
    assert second.reason == "To jest adres sąsiedniej firmy."
    events = AuditEvent.objects.filter(action="organization.location_rejected").order_by("pk")
    assert [e.details["reason"] for e in events] == ["", "To jest adres sąsiedniej firmy."]
    assert all(e.actor == officer for e in events)
    organization.refresh_from_db()
    assert organization.location_source == LocationSource.LOCALITY  # unmoved
    login(client, member)
    html = main_part(client.get(page_url(organization)).content.decode())
    assert "Rejected" in html and "To jest adres sąsiedniej firmy." in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"latitude": "48.9", "longitude": "19.0"}, "latitude", "Punkt musi leżeć w Polsce"),
        ({"latitude": "50.2", "longitude": "24.3"}, "longitude", "Punkt musi leżeć w Polsce"),
        # Swapped: a longitude typed as the latitude.
        ({"latitude": "19.0", "longitude": "50.2"}, "latitude", "Punkt musi leżeć w Polsce"),
        ({"latitude": "pięćdziesiąt", "longitude": "19.0"}, "latitude", "Wpisz szerokość"),
        ({"latitude": "50.2", "longitude": ""}, "longitude", "Podaj długość geograficzną"),
        ({"latitude": "NaN", "longitude": "19.0"}, "latitude", "Wpisz szerokość"),
    ],
)
def test_bad_input_is_named_in_polish_and_saves_nothing(client, member, data, field, message):
    organization = member.organizations.get()
    client.force_login(member)  # no language cookie: the Polish interface
    response = client.post(page_url(organization), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    # In the error summary too, linked to the field.
    assert f'href="#id_{field}"' in main_part(response.content.decode())
    assert not LocationProposal.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="organization.location").exists()


def test_one_proposal_waits_at_a_time(client, member):
    organization = member.organizations.get()
    propose(client, member, latitude="50.3", longitude="19.1")
    response = client.post(page_url(organization), {"latitude": "50.4", "longitude": "19.2"})
    assert response.status_code == 200
    assert LocationProposal.objects.count() == 1
    assert "already waiting" in response.content.decode()


def test_another_organisations_member_and_a_superuser_get_404(client, member):
    organization = member.organizations.get()
    stranger = factories.applicant()
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    for user in (stranger, superuser):
        login(client, user)
        assert client.get(page_url(organization)).status_code == 404
        response = client.post(page_url(organization), {"latitude": "50.3", "longitude": "19.1"})
        assert response.status_code == 404
    assert not LocationProposal.objects.exists()
    with pytest.raises(DomainError):
        location_proposals.propose_location(
            organization=organization, user=superuser, latitude="50.3", longitude="19.1"
        )


def test_only_an_officer_who_is_no_member_decides(client, member):
    organization = member.organizations.get()
    proposal = location_proposals.propose_location(
        organization=organization, user=member, latitude="50.3", longitude="19.1"
    )
    url = reverse("staff_location", args=[proposal.pk])
    for user in (member, factories.UserFactory(is_superuser=True, is_staff=True)):
        login(client, user)
        assert client.get(LIST_URL).status_code == 404
        assert client.post(url, {"action": "confirm"}).status_code == 404
    with pytest.raises(DomainError):
        location_proposals.confirm_location(proposal=proposal, officer=member)
    officer_member = factories.officer()
    organization.members.add(officer_member)
    login(client, officer_member)
    response = client.post(url, {"action": "confirm"})
    assert response.status_code == 200
    assert "another officer must decide" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert not AuditEvent.objects.filter(action="organization.location_confirmed").exists()


def test_a_decided_proposal_is_not_decided_again(client, member):
    organization = member.organizations.get()
    proposal = location_proposals.propose_location(
        organization=organization, user=member, latitude="50.3", longitude="19.1"
    )
    officer = factories.officer()
    location_proposals.reject_location(proposal=proposal, officer=officer)
    with pytest.raises(DomainError, match="already been decided"):
        location_proposals.confirm_location(proposal=proposal, officer=officer)
    organization.refresh_from_db()
    assert organization.location_source == LocationSource.LOCALITY


def test_a_too_long_reason_is_named_and_decides_nothing(client, member):
    organization = member.organizations.get()
    proposal = location_proposals.propose_location(
        organization=organization, user=member, latitude="50.3", longitude="19.1"
    )
    client.force_login(factories.officer())  # the Polish interface
    response = client.post(
        reverse("staff_location", args=[proposal.pk]),
        {"action": "reject", "reject-reason": "x" * 2001},
    )
    assert response.status_code == 200
    assert "Powód może mieć najwyżej 2000 znaków." in main_part(response.content.decode())
    proposal.refresh_from_db()
    assert proposal.is_pending
    assert not AuditEvent.objects.filter(action="organization.location_rejected").exists()
