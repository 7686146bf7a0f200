"""Change requests of an organisation's details under real concurrency, on PostgreSQL."""

from functools import partial

from certification.domain import organization_changes
from certification.domain.errors import DomainError
from certification.models import Organization, OrganizationChangeRequest

from . import factories, postgres

pytestmark = postgres.MARKS

ask = organization_changes.file_request


def test_two_members_asking_at_once_leave_one_pending_request():
    for n in range(postgres.ROUNDS):
        first = factories.applicant()
        organization = first.organizations.get()
        second = factories.applicant(organization=organization)
        factories.certificate(organization=organization)

        outcomes = postgres.run_together(
            partial(ask, organization=organization, user=first, town=f"Gliwice {n}"),
            partial(ask, organization=organization, user=second, town=f"Bytom {n}"),
        )

        assert postgres.unexpected(outcomes, allowed=DomainError) == []
        assert sum(o.error is not None for o in outcomes) == 1
        assert OrganizationChangeRequest.objects.filter(organization=organization).count() == 1


def test_two_officers_deciding_at_once_decide_once():
    for n in range(postgres.ROUNDS):
        member = factories.applicant()
        organization = member.organizations.get()
        factories.certificate(organization=organization)
        change_request = organization_changes.file_request(
            organization=organization, user=member, town=f"Gliwice {n}"
        )
        approving, refusing = factories.officer(), factories.officer()

        outcomes = postgres.run_together(
            partial(
                organization_changes.approve_request,
                change_request=change_request,
                officer=approving,
            ),
            partial(
                organization_changes.refuse_request,
                change_request=change_request,
                officer=refusing,
                reason="Brak odpisu.",
            ),
        )

        assert postgres.unexpected(outcomes, allowed=DomainError) == []
        assert sum(o.error is not None for o in outcomes) == 1
        change_request.refresh_from_db()
        town = Organization.objects.get(pk=organization.pk).town
        approved = change_request.status == "approved"
        assert town == (f"Gliwice {n}" if approved else "Katowice")
