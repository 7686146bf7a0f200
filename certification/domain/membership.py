"""Applicant actions belong to the organisation's members, whatever else the user may be.

Checked in the domain, not only in the views: an officer, a juror or a superuser who is not a
member changes nothing of an organisation or its applications, by any path.
"""

from ..models import Membership
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
