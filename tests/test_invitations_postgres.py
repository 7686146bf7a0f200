"""Invitations under real concurrency: two requests at the same moment, on PostgreSQL's locks."""

from django.urls import reverse

from certification.domain import invitations
from certification.models import AuditEvent, Invitation, Membership

from . import factories, postgres

pytestmark = postgres.MARKS


def test_double_click_join_at_once_gives_one_membership_and_no_error_page():
    for _round in range(3):
        member = factories.applicant()
        organization = member.organizations.get()
        colleague = factories.UserFactory()
        _invitation, token = invitations.invite_colleague(
            organization=organization, email=colleague.email, invited_by=member
        )

        responses = postgres.post_together(
            postgres.logged_in_clients(colleague), reverse("invitation_accept", args=[token])
        )

        assert [r.status_code for r in responses] == [302, 302]
        assert {r["Location"] for r in responses} == {reverse("my_applications")}
        assert Membership.objects.filter(user=colleague, organization=organization).count() == 1
        assert AuditEvent.objects.filter(action="invitation.accepted", actor=colleague).count() == 1


def test_inviting_the_same_address_twice_at_once_leaves_one_open_invitation():
    for n in range(3):
        member = factories.applicant()
        organization = member.organizations.get()

        responses = postgres.post_together(
            postgres.logged_in_clients(member),
            reverse("organization_members", args=[organization.pk]),
            {"email": f"kolega{n}@example.pl"},
        )

        assert [r.status_code for r in responses] == [302, 302]
        sent = Invitation.objects.filter(organization=organization)
        assert sent.count() == 2
        assert invitations.open_invitations(organization=organization).count() == 1
