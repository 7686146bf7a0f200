"""Invitations under real concurrency: two requests at the same moment, on PostgreSQL's locks."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from certification.domain import invitations
from certification.models import AuditEvent, Invitation, Membership

from . import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks); run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]


def post_together(clients: list[Client], url: str, data: dict | None = None) -> list:
    """POST from every client at the same moment (one thread and connection each)."""
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def click(n: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            responses[n] = clients[n].post(url, data or {})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def _clients(user, n: int = 2) -> list[Client]:
    clients = [Client() for _ in range(n)]
    for client in clients:
        client.force_login(user)
    return clients


def test_double_click_join_at_once_gives_one_membership_and_no_error_page():
    for _round in range(3):
        member = factories.applicant()
        organization = member.organizations.get()
        colleague = factories.UserFactory()
        _invitation, token = invitations.invite_colleague(
            organization=organization, email=colleague.email, invited_by=member
        )

        responses = post_together(_clients(colleague), reverse("invitation_accept", args=[token]))

        assert [r.status_code for r in responses] == [302, 302]
        assert {r["Location"] for r in responses} == {reverse("my_applications")}
        assert Membership.objects.filter(user=colleague, organization=organization).count() == 1
        assert AuditEvent.objects.filter(action="invitation.accepted", actor=colleague).count() == 1


def test_inviting_the_same_address_twice_at_once_leaves_one_open_invitation():
    for n in range(3):
        member = factories.applicant()
        organization = member.organizations.get()

        responses = post_together(
            _clients(member),
            reverse("organization_members", args=[organization.pk]),
            {"email": f"kolega{n}@example.pl"},
        )

        assert [r.status_code for r in responses] == [302, 302]
        sent = Invitation.objects.filter(organization=organization)
        assert sent.count() == 2
        assert invitations.open_invitations(organization=organization).count() == 1
