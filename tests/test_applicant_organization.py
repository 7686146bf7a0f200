"""The applicant registers and edits their organisation's profile through the pages."""

import pytest
from django.urls import reverse

from certification.domain.certificates import number_to_slug
from certification.models import AuditEvent, Organization

from . import factories
from .web import login

pytestmark = pytest.mark.django_db


def organization_data(**overrides):
    data = {
        "name": "Spółdzielnia Socjalna „Pod Wiatrakiem”",
        "legal_form": "social_cooperative",
        "nip": "526-025-02-74",
        "regon": "123456785",
        "krs": "0000123456",
        "street": "ul. Mariacka 5",
        "postal_code": "40-014",
        "town": "Katowice",
        "registration_date": "01.03.2020",
        "email": "biuro@wiatrak.example.pl",
        "phone": "+48 32 000 00 00",
        "website": "",
    }
    data.update(overrides)
    return data


def test_my_applications_without_organisation_offers_registration(client):
    login(client, factories.UserFactory())
    response = client.get(reverse("my_applications"))
    assert response.status_code == 200
    assert reverse("organization_create") in response.content.decode()
    assert "Register your organisation" in response.content.decode()


def test_my_applications_in_polish_by_default(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("my_applications"))
    assert '<html lang="pl">' in response.content.decode()


def test_register_organisation_wrong_nip_shows_checksum_message_and_saves_nothing(client):
    user = factories.UserFactory()
    login(client, user)
    response = client.post(reverse("organization_create"), organization_data(nip="5260250275"))
    assert response.status_code == 200
    page = response.content.decode()
    message = "This NIP has a wrong check digit: check it for a typo."
    assert 'class="error-summary"' in page
    assert f'<a href="#id_nip">NIP: {message}</a>' in page  # in the summary, linked
    assert f'<p class="error-message" id="id_nip_error">{message}</p>' in page  # beside the field
    assert 'aria-invalid="true"' in page
    assert "<title>Error: Register your organisation" in page
    assert not Organization.objects.exists()


def test_register_organisation_wrong_regon_shows_message_beside_field(client):
    login(client, factories.UserFactory())
    response = client.post(reverse("organization_create"), organization_data(regon="123456784"))
    assert 'id="id_regon_error">This REGON has a wrong check digit' in response.content.decode()
    assert not Organization.objects.exists()


def test_register_organisation_right_nip_saves_and_makes_user_member(client):
    user = factories.UserFactory()
    login(client, user)
    client.post(reverse("organization_create"), organization_data(nip="5260250275"))
    response = client.post(reverse("organization_create"), organization_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("my_applications")
    organization = Organization.objects.get()
    assert organization.nip == "5260250274"
    assert organization.registration_date.isoformat() == "2020-03-01"
    assert list(organization.members.all()) == [user]
    page = response.content.decode()
    assert "is registered. You can now start an application." in page
    assert "Start a new application" in page
    assert AuditEvent.objects.filter(action="organization.registered", actor=user).exists()


def test_register_organisation_missing_fields_are_listed(client):
    login(client, factories.UserFactory())
    response = client.post(reverse("organization_create"), organization_data(name="", town=""))
    page = response.content.decode()
    assert '<a href="#id_name">' in page
    assert '<a href="#id_town">' in page
    assert not Organization.objects.exists()


def test_edit_organisation_member_saves_changes(client):
    user = factories.applicant()
    organization = user.organizations.get()
    login(client, user)
    url = reverse("organization_edit", args=[organization.pk])
    page = client.get(url).content.decode()
    assert f'value="{organization.nip}"' in page
    data = organization_data(nip=organization.nip, email="nowy@example.pl")
    response = client.post(url, data, follow=True)
    assert "The organisation&#x27;s details have been saved." in response.content.decode()
    organization.refresh_from_db()
    assert organization.email == "nowy@example.pl"


def test_edit_organisation_wrong_nip_changes_nothing(client):
    user = factories.applicant()
    organization = user.organizations.get()
    login(client, user)
    response = client.post(
        reverse("organization_edit", args=[organization.pk]),
        organization_data(nip="5260250275", email="nowy@example.pl"),
    )
    assert "This NIP has a wrong check digit" in response.content.decode()
    organization.refresh_from_db()
    assert organization.email == "biuro@example.pl"


def test_edit_organisation_by_non_member_is_404(client):
    organization = factories.OrganizationFactory()
    login(client, factories.applicant())
    url = reverse("organization_edit", args=[organization.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, organization_data(email="x@example.pl")).status_code == 404
    organization.refresh_from_db()
    assert organization.email == "biuro@example.pl"


def test_start_application_for_other_organisation_is_404(client):
    organization = factories.OrganizationFactory()
    login(client, factories.applicant())
    response = client.post(reverse("application_create", args=[organization.pk]))
    assert response.status_code == 404
    assert not organization.applications.exists()


def test_register_organisation_with_powiat_saves_it(client):
    login(client, factories.UserFactory())
    client.post(reverse("organization_create"), organization_data(powiat="2469"))
    assert Organization.objects.get().powiat == "2469"


def test_organisation_form_offers_powiat_as_optional_with_its_purpose(client):
    login(client, factories.UserFactory())
    page = client.get(reverse("organization_create")).content.decode()
    assert '<label for="id_powiat">Powiat</label>' in page  # no "required" star
    assert "Buyers use it to find certified organisations near them" in page
    assert '<option value="2403">powiat cieszyński</option>' in page
    client.post(reverse("organization_create"), organization_data(powiat=""))
    assert Organization.objects.get().powiat == ""


def test_edit_organisation_powiat_is_saved_and_audited(client):
    user = factories.applicant()
    organization = user.organizations.get()
    login(client, user)
    url = reverse("organization_edit", args=[organization.pk])
    data = organization_data(
        **{name: getattr(organization, name) for name in ("name", "nip", "email", "town")},
        regon=organization.regon,
        powiat="2410",
    )
    client.post(url, data)
    organization.refresh_from_db()
    assert organization.powiat == "2410"
    event = AuditEvent.objects.filter(action="organization.updated").latest("pk")
    assert "powiat" in event.details["fields"]
    assert 'value="2410" selected' in client.get(url).content.decode()


def test_edit_organisation_unknown_powiat_is_an_error_and_saves_nothing(client):
    user = factories.applicant()
    organization = user.organizations.get()
    login(client, user)
    response = client.post(
        reverse("organization_edit", args=[organization.pk]),
        organization_data(nip=organization.nip, powiat="9999", email="nowy@example.pl"),
    )
    page = response.content.decode()
    assert '<a href="#id_powiat">Powiat: Choose a powiat from the list.</a>' in page
    assert 'id="id_powiat_error">Choose a powiat from the list.</p>' in page
    organization.refresh_from_db()
    assert (organization.powiat, organization.email) == ("", "biuro@example.pl")


def test_public_certificate_page_shows_the_powiat_when_given(english):
    with_powiat = factories.certificate(organization=factories.OrganizationFactory(powiat="2403"))
    without = factories.certificate()
    pages = [
        english.get(reverse("certificate_detail", args=[number_to_slug(c.number)])).content.decode()
        for c in (with_powiat, without)
    ]
    assert "<dt>Powiat (county)</dt><dd>powiat cieszyński</dd>" in pages[0]
    assert "<dt>Powiat (county)</dt>" not in pages[1]
