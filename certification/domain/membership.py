"""Applicant actions belong to the organisation's members, whatever else the user may be.

Checked in the domain, not only in the views: an officer, a juror or a superuser who is not a
member changes nothing of an organisation or its applications, by any path.
"""

from ..models import Application, Membership
from ..permissions import acts_for_paper_applicant
from .errors import DomainError


def check_member(*, organization_id: int, user, message: str) -> None:
    """Raise DomainError(message) unless the user is a member of the organisation."""
    is_member = (
        user is not None
        and user.is_authenticated
        and Membership.objects.filter(organization_id=organization_id, user_id=user.pk).exists()
    )
    if not is_member:
        raise DomainError(message)


def check_acts_for_applicant(*, application: Application, user, message: str) -> None:
    """A member, or an officer acting for a PES on its paper application (see
    permissions.acts_for_paper_applicant); DomainError(message) for anyone else."""
    if user is not None and user.is_authenticated and acts_for_paper_applicant(user, application):
        return
    check_member(organization_id=application.organization_id, user=user, message=message)
