"""The identity behind a certificate: a certified organisation's name, NIP and address change
only through a request an officer approves (issue 8, §2)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from certification.choices import ChangeRequestStatus
from certification.domain import organization_changes, organizations
from certification.domain.errors import DomainError
from certification.models import AuditEvent, Organization, OrganizationChangeRequest

from . import factories
from .mail import polish, sent_mail
from .web import login, main_part

pytestmark = pytest.mark.django_db

# Another company's identity, as a member tried to put on a certified organisation.
OTHER_NIP = factories.VALID_NIPS[1]
OTHER_NAME = "Wielka Korporacja S.A."


def profile_data(organization: Organization, **overrides) -> dict:
    """What the profile form sends when the member changes only `overrides`."""
    data = {
        "name": organization.name,
        "legal_form": organization.legal_form,
        "nip": organization.nip,
        "regon": organization.regon,
        "krs": organization.krs,
        "street": organization.street,
        "postal_code": organization.postal_code,
        "town": organization.town,
        "powiat": organization.powiat,
        "registration_date": organization.registration_date.strftime("%d.%m.%Y"),
        "email": organization.email,
        "phone": organization.phone,
        "website": organization.website,
    }
    data.update(overrides)
    return data


@pytest.fixture
def certified():
    """A member of an organisation holding a certificate, the certificate, and an officer."""
    member = factories.applicant()
    organization = member.organizations.get()
    certificate = factories.certificate(organization=organization, items=("Szycie toreb",))
    return member, organization, certificate


def edit_url(organization) -> str:
    return reverse("organization_edit", args=[organization.pk])


def request_url(change_request) -> str:
    return reverse("staff_change_request", args=[change_request.pk])


LIST_URL = reverse("staff_change_requests")


def verify_nip(client, nip: str) -> str:
    client.cookies["django_language"] = "en"
    return client.get(reverse("verify"), {"number": nip}).content.decode()


# --- the attack -----------------------------------------------------------------------------


def test_member_swapping_nip_and_name_of_certified_organisation_only_files_a_request(
    client, certified
):
    member, organization, certificate = certified
    issued_nip, issued_name = organization.nip, organization.name
    login(client, member)

    response = client.post(
        edit_url(organization),
        profile_data(organization, nip=OTHER_NIP, name=OTHER_NAME),
        follow=True,
    )

    page = response.content.decode()
    assert "has been sent to ROPS" in page
    organization.refresh_from_db()
    assert (organization.nip, organization.name) == (issued_nip, issued_name)
    change_request = OrganizationChangeRequest.objects.get()
    assert change_request.status == ChangeRequestStatus.PENDING
    assert change_request.after == {"name": OTHER_NAME, "nip": OTHER_NIP}
    assert change_request.before == {"name": issued_name, "nip": issued_nip}
    event = AuditEvent.objects.get(action="organization.change_requested")
    assert event.actor == member
    assert event.details["after"] == {"name": OTHER_NAME, "nip": OTHER_NIP}
    # The public still finds the certificate by the NIP it was issued to, under that name,
    # and the other company's NIP finds nothing.
    anonymous = client.__class__()
    by_old = verify_nip(anonymous, issued_nip)
    assert certificate.number in by_old and issued_name in by_old
    assert OTHER_NAME not in by_old
    assert "No certificate in the registry for this NIP" in verify_nip(anonymous, OTHER_NIP)


def test_domain_refuses_direct_identity_change_of_a_certified_organisation(certified):
    member, organization, _certificate = certified
    with pytest.raises(DomainError, match="change request"):
        organizations.update_organization(
            organization=organization, user=member, nip=OTHER_NIP, name=OTHER_NAME
        )
    organization.refresh_from_db()
    assert organization.nip != OTHER_NIP


def test_organisation_granted_but_not_yet_certified_is_locked_too():
    from certification.choices import ApplicationStatus

    member = factories.applicant()
    application = factories.draft_application(user=member, complete=False)
    application.status = ApplicationStatus.GRANTED
    application.save(update_fields=["status"])
    with pytest.raises(DomainError):
        organizations.update_organization(
            organization=application.organization, user=member, nip=OTHER_NIP
        )


def test_contact_details_of_a_certified_organisation_are_saved_at_once(client, certified):
    member, organization, _certificate = certified
    login(client, member)

    response = client.post(
        edit_url(organization), profile_data(organization, email="nowy@example.pl"), follow=True
    )

    assert "The organisation&#x27;s details have been saved." in response.content.decode()
    organization.refresh_from_db()
    assert organization.email == "nowy@example.pl"
    assert not OrganizationChangeRequest.objects.exists()


# --- the applicant's page -------------------------------------------------------------------


def test_profile_page_of_certified_organisation_says_which_fields_need_approval(client, certified):
    member, organization, _certificate = certified
    page = main_part(login(client, member).get(edit_url(organization)).content.decode())
    assert "a change of any of these is sent to ROPS as a request" in page
    assert page.count("A change needs the approval of an officer.") == 9
    assert "Save changes and send the request" in page


def test_pending_request_is_shown_and_holds_the_fields_until_decided(client, certified):
    member, organization, _certificate = certified
    organization_changes.file_request(organization=organization, user=member, town="Gliwice")
    login(client, member)

    page = main_part(client.get(edit_url(organization)).content.decode())
    assert "Change request waiting for an officer" in page
    assert "Gliwice" in page
    assert page.count("Waiting for an officer&#x27;s decision on your request.") == 9
    assert 'name="town" value="Katowice"' in page and "disabled" in page

    # A second request, sent past the disabled fields, is refused by the domain.
    with pytest.raises(DomainError, match="already waiting"):
        organization_changes.file_request(organization=organization, user=member, town="Bytom")
    client.post(edit_url(organization), profile_data(organization, town="Bytom"))
    assert OrganizationChangeRequest.objects.count() == 1
    organization.refresh_from_db()
    assert organization.town == "Katowice"


def test_request_with_a_wrong_nip_gets_the_profile_forms_message(client, certified):
    member, organization, _certificate = certified
    login(client, member)

    response = client.post(edit_url(organization), profile_data(organization, nip="5260250275"))

    page = response.content.decode()
    message = "This NIP has a wrong check digit: check it for a typo."
    assert f'<p class="error-message" id="id_nip_error">{message}</p>' in page
    assert not OrganizationChangeRequest.objects.exists()


def test_request_for_another_organisations_nip_is_refused(certified):
    member, organization, _certificate = certified
    other = factories.OrganizationFactory()
    with pytest.raises(ValidationError) as raised:
        organization_changes.file_request(organization=organization, user=member, nip=other.nip)
    assert "nip" in raised.value.error_dict
    assert not OrganizationChangeRequest.objects.exists()


def test_never_certified_organisation_edits_nip_and_name_directly(client):
    member = factories.applicant()
    organization = member.organizations.get()
    login(client, member)

    page = main_part(client.get(edit_url(organization)).content.decode())
    assert "A change needs the approval of an officer." not in page
    response = client.post(
        edit_url(organization), profile_data(organization, nip=OTHER_NIP, name=OTHER_NAME)
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.nip, organization.name) == (OTHER_NIP, OTHER_NAME)
    assert not OrganizationChangeRequest.objects.exists()


# --- who may ask ----------------------------------------------------------------------------


def test_member_of_another_organisation_cannot_file_a_request(client, certified):
    _member, organization, _certificate = certified
    stranger = factories.applicant()
    with pytest.raises(DomainError):
        organization_changes.file_request(organization=organization, user=stranger, town="Bytom")
    response = login(client, stranger).post(
        edit_url(organization), profile_data(organization, town="Bytom")
    )
    assert response.status_code == 404
    assert not OrganizationChangeRequest.objects.exists()


def test_superuser_who_is_no_member_cannot_file_a_request(client, certified):
    _member, organization, _certificate = certified
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(DomainError):
        organization_changes.file_request(organization=organization, user=admin, town="Bytom")
    with pytest.raises(DomainError):
        organization_changes.save_profile(organization=organization, user=admin, town="Bytom")
    response = login(client, admin).post(
        edit_url(organization), profile_data(organization, town="Bytom")
    )
    assert response.status_code == 404
    assert not OrganizationChangeRequest.objects.exists()


# --- the officer ----------------------------------------------------------------------------


@pytest.fixture
def requested(certified):
    member, organization, certificate = certified
    change_request = organization_changes.file_request(
        organization=organization, user=member, nip=OTHER_NIP, name="Spółdzielnia „Nowa”"
    )
    return member, organization, certificate, change_request


def test_officer_sees_the_request_and_compares_old_and_new_values(client, requested):
    _member, organization, _certificate, change_request = requested
    officer = factories.officer()
    login(client, officer)

    queue = main_part(client.get(LIST_URL).content.decode())
    assert f'href="{request_url(change_request)}"' in queue
    page = main_part(client.get(request_url(change_request)).content.decode())
    assert organization.nip in page and OTHER_NIP in page
    assert "Spółdzielnia „Nowa”" in page
    assert "Approve the change" in page and "Refuse the change" in page
    menu = client.get(reverse("staff_certificates")).content.decode()
    assert f'href="{LIST_URL}"' in menu


def test_officer_approval_changes_the_organisation_audits_and_tells_the_applicant(
    client, requested, django_capture_on_commit_callbacks
):
    _member, organization, certificate, change_request = requested
    issued_nip, issued_name = organization.nip, organization.name
    officer = factories.officer()
    login(client, officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(request_url(change_request), {"action": "approve"})

    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.nip, organization.name) == (OTHER_NIP, "Spółdzielnia „Nowa”")
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.APPROVED
    assert change_request.decided_by == officer
    event = AuditEvent.objects.get(action="organization.change_approved")
    assert event.actor == officer
    assert event.details["before"] == {"name": issued_name, "nip": issued_nip}
    assert event.details["after"] == {"name": "Spółdzielnia „Nowa”", "nip": OTHER_NIP}
    # The certificate keeps the identity it was issued to.
    certificate.refresh_from_db()
    assert (certificate.holder_nip, certificate.holder_name) == (issued_nip, issued_name)
    # The registry finds it by the new name too (search text refreshed).
    assert "spoldzielnia nowa" in certificate.search_text
    (message,) = sent_mail()
    assert message.subject == polish(
        "Your request to change the organisation's details has been approved"
    )
    assert OTHER_NIP in message.body


def test_officer_refusal_needs_a_reason_and_tells_the_applicant(
    client, requested, django_capture_on_commit_callbacks
):
    member, organization, _certificate, change_request = requested
    issued_nip = organization.nip
    officer = factories.officer()
    login(client, officer)

    page = client.post(
        request_url(change_request), {"action": "refuse", "refuse-reason": "  "}
    ).content.decode()
    assert "Give the reason for the refusal." in page
    change_request.refresh_from_db()
    assert change_request.is_pending

    reason = "Odpis z KRS podaje inny NIP."
    with django_capture_on_commit_callbacks(execute=True):
        client.post(request_url(change_request), {"action": "refuse", "refuse-reason": reason})

    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.REFUSED
    assert change_request.refusal_reason == reason
    organization.refresh_from_db()
    assert organization.nip == issued_nip
    event = AuditEvent.objects.get(action="organization.change_refused")
    assert (event.actor, event.details["reason"]) == (officer, reason)
    (message,) = sent_mail()
    assert reason in message.body
    # The applicant's page says so, and a new request may be filed.
    page = main_part(login(client, member).get(edit_url(organization)).content.decode())
    assert "Your last change request was refused" in page and reason in page
    assert "Save changes and send the request" in page


def test_officer_who_is_a_member_cannot_decide_the_request(requested):
    _member, organization, _certificate, change_request = requested
    officer = factories.officer()
    organization.members.add(officer)
    with pytest.raises(DomainError, match="another officer"):
        organization_changes.approve_request(change_request=change_request, officer=officer)


def test_a_decided_request_cannot_be_decided_again(requested):
    _member, _organization, _certificate, change_request = requested
    officer = factories.officer()
    organization_changes.refuse_request(change_request=change_request, officer=officer, reason="x")
    with pytest.raises(DomainError, match="already been decided"):
        organization_changes.approve_request(change_request=change_request, officer=officer)


@pytest.mark.parametrize("who", ["anonymous", "member", "juror", "other_member"])
def test_staff_change_pages_are_not_found_for_non_officers(client, requested, who):
    member, _organization, _certificate, change_request = requested
    users = {
        "member": member,
        "juror": factories.juror(),
        "other_member": factories.applicant(),
    }
    if who != "anonymous":
        login(client, users[who])
    for url in (LIST_URL, request_url(change_request)):
        response = client.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and reverse("login") in response.url
        else:
            assert response.status_code == 404
    response = client.post(request_url(change_request), {"action": "approve"})
    assert response.status_code in (302, 404)
    change_request.refresh_from_db()
    assert change_request.is_pending


def test_officer_list_page_query_count_does_not_grow_with_requests(
    client, django_assert_max_num_queries
):
    def one_request(decided: bool):
        member = factories.applicant()
        organization = member.organizations.get()
        factories.certificate(organization=organization)
        change_request = organization_changes.file_request(
            organization=organization, user=member, town="Gliwice"
        )
        if decided:
            organization_changes.refuse_request(
                change_request=change_request, officer=officer, reason="Brak odpisu."
            )

    officer = factories.officer()
    login(client, officer)
    one_request(decided=False)
    one_request(decided=True)
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST_URL).status_code == 200
    for n in range(6):
        one_request(decided=n % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LIST_URL).content.decode()
    assert page.count("Gliwice") == 8


def test_nip_a_certificate_was_issued_to_cannot_be_taken_by_another_organisation(client, requested):
    _member, organization, certificate, change_request = requested
    organization_changes.approve_request(change_request=change_request, officer=factories.officer())
    newcomer = factories.UserFactory()
    login(client, newcomer)

    response = client.post(
        reverse("organization_create"),
        profile_data(organization, nip=certificate.holder_nip, name="Ktoś Inny"),
    )

    assert "Certificates were issued to this NIP for another organisation" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert not Organization.objects.filter(nip=certificate.holder_nip).exists()
