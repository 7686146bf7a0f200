from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Membership, Organization
from ..validators import normalize_digits
from . import audit, search
from .membership import check_member


def _clean(organization: Organization) -> None:
    organization.nip = normalize_digits(organization.nip)
    organization.regon = normalize_digits(organization.regon)
    organization.krs = normalize_digits(organization.krs)
    organization.full_clean()


@transaction.atomic
def register_organization(*, user, **fields) -> Organization:
    """Create a PES profile and make the user its member. Raises ValidationError on bad data."""
    organization = Organization(**fields)
    _clean(organization)
    organization.save()
    Membership.objects.create(user=user, organization=organization)
    audit.record(actor=user, action="organization.registered", message=organization.name)
    return organization


@transaction.atomic
def update_organization(*, organization: Organization, user, **fields) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    check_member(
        organization_id=organization.pk,
        user=user,
        message=_("Only a member of the organisation can change its profile."),
    )
    for name, value in fields.items():
        setattr(organization, name, value)
    _clean(organization)
    organization.save()
    search.refresh_organization(organization=organization)  # the registry finds it by name
    audit.record(
        actor=user, action="organization.updated", message=organization.name, fields=sorted(fields)
    )
    return organization
