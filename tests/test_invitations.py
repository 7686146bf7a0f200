"""A member invites a colleague by e-mail; the colleague follows the link and joins.

Pages are driven through the test client; the invitation e-mail is a job, which the worker
runs (tests/mail.run_jobs) before the test reads the outbox.
"""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from certification.domain import invitations
from certification.domain.errors import DomainError
from certification.models import AuditEvent, Invitation, Membership

from . import factories
from .mail import run_jobs
from .web import login

pytestmark = pytest.mark.django_db

LINK = re.compile(r"(\S+/konto/zaproszenie/([\w-]+)/)")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks, mailoutbox):
    """Post the "Invite a colleague" form as `member`; returns the response and the e-mailed
    token (None when no e-mail went out)."""

    def invite(member, email, organization=None):
        organization = organization or member.organizations.get()
        login(client, member)
        sent_before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("organization_members", args=[organization.pk]), {"email": email}
            )
        run_jobs()
        token = None
        if len(mailoutbox) > sent_before:
            token = LINK.search(mailoutbox[-1].body).group(2)
        return response, token

    return invite


@pytest.fixture
def member():
    return factories.applicant(first_name="Anna", last_name="Nowak")


def accept_url(token: str) -> str:
    return reverse("invitation_accept", args=[token])


def test_invite_sends_email_with_link_to_accept_page(invite, member, mailoutbox):
    organization = member.organizations.get()

    response, token = invite(member, "  Jan.Kowalski@Example.PL ")

    assert response.status_code == 302
    assert response.url == reverse("organization_members", args=[organization.pk])
    invitation = Invitation.objects.get()
    assert invitation.email == "jan.kowalski@example.pl"
    assert invitation.invited_by == member
    assert invitation.token_hash == invitations.hash_token(token)
    assert token not in invitation.token_hash  # only the hash is kept
    mail = mailoutbox[-1]
    assert mail.to == ["jan.kowalski@example.pl"]
    assert organization.name in mail.subject
    assert "Anna Nowak" in mail.body and organization.name in mail.body
    assert f"{settings.SITE_URL}{accept_url(token)}" in mail.body


def test_invite_then_accept_with_matching_email_makes_a_member_who_sees_the_applications(
    client, invite, member
):
    organization = member.organizations.get()
    draft = factories.draft_application(user=member, complete=False)
    _response, token = invite(member, "jan@example.pl")
    colleague = factories.UserFactory(email="Jan@Example.pl")  # case does not matter

    login(client, colleague)
    page = client.get(accept_url(token))
    assert page.status_code == 200
    assert f"Join {organization.name}" in text(page)
    assert "Anna Nowak invites you" in text(page)
    response = client.post(accept_url(token))

    assert response.status_code == 302 and response.url == reverse("my_applications")
    assert organization.members.filter(pk=colleague.pk).exists()
    applications = client.get(reverse("my_applications"))
    assert f"You have joined {organization.name}" in text(applications)
    assert reverse("application_edit", args=[draft.pk]) in text(applications)
    assert client.get(reverse("application_edit", args=[draft.pk])).status_code == 200


def test_accept_with_another_email_is_refused_with_a_message(client, invite, member):
    organization = member.organizations.get()
    _response, token = invite(member, "jan@example.pl")
    stranger = factories.UserFactory(email="ktos.inny@example.pl")

    login(client, stranger)
    page = client.get(accept_url(token))
    response = client.post(accept_url(token))

    message = "This invitation was sent to jan@example.pl, but you are logged in as "
    assert message + "ktos.inny@example.pl" in text(page)
    assert "Log out and come back here" in text(page)
    assert message in text(response)
    assert not organization.members.filter(pk=stranger.pk).exists()
    assert Invitation.objects.get().accepted_at is None


def test_accept_by_account_without_email_is_refused(client, invite, member):
    _response, token = invite(member, "jan@example.pl")
    login(client, factories.UserFactory(email=""))

    response = client.post(accept_url(token))

    assert "Your account has no e-mail address" in text(response)
    assert not Membership.objects.filter(user__email="").exists()


def test_accept_expired_invitation_is_refused_with_a_message(client, invite, member):
    _response, token = invite(member, "jan@example.pl")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    colleague = factories.UserFactory(email="jan@example.pl")

    login(client, colleague)
    response = client.post(accept_url(token))

    assert response.status_code == 410
    assert "This invitation expired on" in text(response)
    assert "Ask Anna Nowak or another member" in text(response)
    assert not Membership.objects.filter(user=colleague).exists()


def test_accept_cancelled_invitation_is_refused_with_a_message(client, invite, member):
    organization = member.organizations.get()
    _response, token = invite(member, "jan@example.pl")
    invitation = Invitation.objects.get()

    cancelled = client.post(reverse("invitation_cancel", args=[organization.pk, invitation.pk]))
    assert cancelled.status_code == 302
    colleague = factories.UserFactory(email="jan@example.pl")
    login(client, colleague)
    response = client.post(accept_url(token))

    assert response.status_code == 410
    assert "This invitation has been cancelled" in text(response)
    assert not Membership.objects.filter(user=colleague).exists()


def test_accept_used_invitation_by_someone_else_is_refused(client, invite, member):
    _response, token = invite(member, "jan@example.pl")
    first = factories.UserFactory(email="jan@example.pl")
    login(client, first)
    client.post(accept_url(token))
    second = factories.UserFactory(email="jan@example.pl")  # a second account, same address

    login(client, second)
    response = client.post(accept_url(token))

    assert response.status_code == 410
    assert "This invitation has already been used." in text(response)
    assert not Membership.objects.filter(user=second).exists()


def test_accept_twice_makes_one_membership_and_no_error(client, invite, member):
    organization = member.organizations.get()
    _response, token = invite(member, "jan@example.pl")
    colleague = factories.UserFactory(email="jan@example.pl")
    login(client, colleague)

    first = client.post(accept_url(token))
    second = client.post(accept_url(token))

    assert first.status_code == second.status_code == 302
    assert Membership.objects.filter(user=colleague, organization=organization).count() == 1
    assert f"You are already a member of {organization.name}" in text(client.get(second.url))
    again = invitations.accept_invitation(token=token, user=colleague)
    assert again.accepted_by == colleague
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_unknown_token_answers_404_with_a_helpful_message(client):
    response = client.get(accept_url("nie-ma-takiego-zaproszenia"))
    assert response.status_code == 404
    assert "Nie rozpoznajemy tego linku z zaproszeniem" in text(response)


def test_accept_page_when_logged_out_offers_login_and_signup_that_come_back(client, invite, member):
    _response, token = invite(member, "jan@example.pl")
    client.logout()

    response = client.get(accept_url(token))

    assert response.status_code == 200
    page = text(response)
    assert "zaloguj się na konto z adresem e-mail jan@example.pl" in page
    next_param = f"?next={accept_url(token)}"
    assert f'href="{reverse("login")}{next_param}"' in page
    assert f'href="{reverse("account_signup")}{next_param}"' in page
    assert client.post(accept_url(token)).status_code == 200  # a POST changes nothing
    assert Invitation.objects.get().accepted_at is None


def test_non_member_cannot_see_members_invite_or_cancel(client, invite, member):
    organization = member.organizations.get()
    invite(member, "jan@example.pl")
    invitation = Invitation.objects.get()
    outsider = factories.applicant()  # a member of another organisation
    login(client, outsider)

    members_url = reverse("organization_members", args=[organization.pk])
    assert client.get(members_url).status_code == 404
    assert client.post(members_url, {"email": "kolega@example.pl"}).status_code == 404
    cancel_url = reverse("invitation_cancel", args=[organization.pk, invitation.pk])
    assert client.post(cancel_url).status_code == 404
    own = outsider.organizations.get()
    other_cancel = reverse("invitation_cancel", args=[own.pk, invitation.pk])
    assert client.post(other_cancel).status_code == 404
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None
    assert list(Invitation.objects.values_list("email", flat=True)) == ["jan@example.pl"]


def test_invite_by_non_member_raises_domain_error():
    organization = factories.OrganizationFactory()
    with pytest.raises(DomainError, match="Only a member"):
        invitations.invite_colleague(
            organization=organization, email="jan@example.pl", invited_by=factories.applicant()
        )
    assert not Invitation.objects.exists()


def test_invite_again_replaces_the_token_and_the_old_link_stops_working(
    client, invite, member, mailoutbox
):
    _response, old_token = invite(member, "jan@example.pl")
    response, new_token = invite(member, "JAN@example.pl")

    assert len(mailoutbox) == 2 and old_token != new_token
    assert "A new invitation has been sent to jan@example.pl" in text(client.get(response.url))
    assert invitations.open_invitations(organization=member.organizations.get()).count() == 1
    colleague = factories.UserFactory(email="jan@example.pl")
    login(client, colleague)
    old = client.post(accept_url(old_token))
    assert old.status_code == 410
    assert "This link has been replaced by a newer invitation" in text(old)
    assert not Membership.objects.filter(user=colleague).exists()
    assert client.post(accept_url(new_token)).status_code == 302
    assert Membership.objects.filter(user=colleague).exists()


def test_invite_existing_member_is_refused_beside_the_field(invite, member, mailoutbox):
    organization = member.organizations.get()
    factories.applicant(organization, email="obecna@example.pl")

    response, token = invite(member, "Obecna@Example.pl")

    assert response.status_code == 200
    page = text(response)
    message = f"obecna@example.pl is already a member of {organization.name}."
    assert 'class="error-summary"' in page
    assert f'<p class="error-message" id="id_email_error">{message}</p>' in page
    assert token is None and mailoutbox == []
    assert not Invitation.objects.exists()


def test_invite_malformed_email_shows_error_and_changes_nothing(invite, member, mailoutbox):
    response, _token = invite(member, "to nie adres")

    assert response.status_code == 200
    assert "<title>Error: Members and invitations" in text(response)
    assert '<a href="#id_email">' in text(response)
    assert not Invitation.objects.exists() and mailoutbox == []


def test_members_page_lists_members_and_open_invitations(
    client, invite, member, django_assert_max_num_queries
):
    organization = member.organizations.get()
    factories.applicant(organization, first_name="Ewa", last_name="Zielińska")
    for n in range(3):
        invite(member, f"kolega{n}@example.pl")
    accepted_token = invite(member, "przyjeta@example.pl")[1]
    invitations.accept_invitation(
        token=accepted_token, user=factories.UserFactory(email="przyjeta@example.pl")
    )

    # (9: the header's unread notifications count is one of them.)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("organization_members", args=[organization.pk]))

    page = text(response)
    assert "Anna Nowak (you)" in page and "Ewa Zielińska" in page
    for n in range(3):
        assert f"kolega{n}@example.pl" in page
    assert page.count("Send again") == 3 and page.count(">Cancel<") == 3
    # Now a member, no longer an open invitation.
    assert '<td data-label="E-mail">przyjeta@example.pl</td>' in page
    assert '<th scope="row">przyjeta@example.pl</th>' not in page
    assert '<th scope="row">kolega0@example.pl</th>' in page


def test_my_applications_links_each_organisation_to_its_members_page(client, member):
    second = factories.OrganizationFactory()
    second.members.add(member)
    login(client, member)

    page = text(client.get(reverse("my_applications")))

    for organization in member.organizations.all():
        assert reverse("organization_members", args=[organization.pk]) in page


def test_member_of_two_organisations_sees_both_after_joining_the_second(client, invite):
    first = factories.applicant(email="jan@example.pl")
    own = first.organizations.get()
    other_member = factories.applicant()
    second = other_member.organizations.get()
    _response, token = invite(other_member, "jan@example.pl")

    invitations.accept_invitation(token=token, user=first)

    login(client, first)
    page = text(client.get(reverse("my_applications")))
    assert own.name in page and second.name in page
    assert client.get(reverse("organization_members", args=[second.pk])).status_code == 200


def test_audit_log_records_sent_cancelled_and_accepted(client, invite, member):
    organization = member.organizations.get()
    _response, token = invite(member, "jan@example.pl")
    first = Invitation.objects.get()
    client.post(reverse("invitation_cancel", args=[organization.pk, first.pk]))
    _response, token = invite(member, "jan@example.pl")
    colleague = factories.UserFactory(email="jan@example.pl")
    invitations.accept_invitation(token=token, user=colleague)

    events = list(
        AuditEvent.objects.filter(action__startswith="invitation.").values_list(
            "action", "actor", "message", "details__organization"
        )
    )
    assert events == [
        ("invitation.sent", member.pk, "jan@example.pl", organization.pk),
        ("invitation.cancelled", member.pk, "jan@example.pl", organization.pk),
        ("invitation.sent", member.pk, "jan@example.pl", organization.pk),
        ("invitation.accepted", colleague.pk, "jan@example.pl", organization.pk),
    ]


def test_cancel_accepted_invitation_is_refused():
    member = factories.applicant()
    invitation, token = invitations.invite_colleague(
        organization=member.organizations.get(), email="jan@example.pl", invited_by=member
    )
    invitations.accept_invitation(token=token, user=factories.UserFactory(email="jan@example.pl"))

    with pytest.raises(DomainError, match="already accepted"):
        invitations.cancel_invitation(invitation=invitation, by=member)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is None


def test_new_account_made_from_the_invitation_comes_back_to_it_and_joins(
    client, invite, member, mailoutbox
):
    organization = member.organizations.get()
    _response, token = invite(member, "jan@example.pl")
    client.logout()
    signup = f"{reverse('account_signup')}?next={accept_url(token)}"
    password = "Bardzo-trudne-haslo-987"

    client.post(signup, {"email": "jan@example.pl", "password1": password, "password2": password})
    run_jobs()
    confirm = re.search(r"https?://[^/\s]+(/konto/\S+/)", mailoutbox[-1].body).group(1)
    back = client.post(confirm)

    assert back.status_code == 302 and back.url == accept_url(token)
    assert client.post(back.url).status_code == 302
    assert organization.members.filter(email="jan@example.pl").exists()


def test_invitation_stops_working_when_the_inviter_leaves(client, invite, member):
    organization = member.organizations.get()
    _response, token = invite(member, "jan@example.pl")
    Membership.objects.filter(user=member, organization=organization).delete()
    colleague = factories.UserFactory(email="jan@example.pl")

    login(client, colleague)
    client.post(accept_url(token))

    assert "is no longer a member" in text(client.get(accept_url(token)))
    assert not organization.members.filter(pk=colleague.pk).exists()


def test_invitations_are_limited_per_address_and_per_organisation(member):
    organization = member.organizations.get()
    for _ in range(invitations.MAX_PER_ADDRESS_PER_DAY):
        invitations.invite_colleague(
            organization=organization, email="jan@example.pl", invited_by=member
        )
    with pytest.raises(DomainError, match="3 times in the last 24 hours"):
        invitations.invite_colleague(
            organization=organization, email="jan@example.pl", invited_by=member
        )

    for n in range(invitations.MAX_PER_ORGANIZATION_PER_DAY - invitations.MAX_PER_ADDRESS_PER_DAY):
        invitations.invite_colleague(
            organization=organization, email=f"osoba{n}@example.pl", invited_by=member
        )
    with pytest.raises(DomainError, match="the most allowed"):
        invitations.invite_colleague(
            organization=organization, email="ostatni@example.pl", invited_by=member
        )
    assert Invitation.objects.count() == invitations.MAX_PER_ORGANIZATION_PER_DAY
