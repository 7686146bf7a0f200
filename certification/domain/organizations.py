from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus
from ..models import IDENTITY_FIELDS, Certificate, Membership, Organization
from ..validators import normalize_digits
from . import audit, locations, search
from .errors import DomainError
from .membership import check_member


def check_profile(organization: Organization) -> None:
    """Normalise the identifiers and run the model's checks: ValidationError on bad data."""
    organization.nip = normalize_digits(organization.nip)
    organization.regon = normalize_digits(organization.regon)
    organization.krs = normalize_digits(organization.krs)
    organization.full_clean()
    # A NIP stays with the certificates issued to it: after an approved change of NIP, the old
    # one still names them in the registry, so no other organisation may take it.
    issued_to_another = Certificate.objects.filter(holder_nip=organization.nip).exclude(
        organization_id=organization.pk
    )
    if issued_to_another.exists():
        raise ValidationError(
            {
                "nip": _(
                    "Certificates were issued to this NIP for another organisation: it cannot "
                    "become this organisation's NIP. If it is yours, contact ROPS."
                )
            }
        )


def identity_locked(organization: Organization) -> bool:
    """Whether the organisation's identity changes only through an officer-approved request.

    Once it holds or held a certificate, or the jury granted one that is yet to be issued:
    a certificate states that identity, so a member cannot swap it for another company's.
    """
    return (
        Certificate.objects.filter(organization=organization).exists()
        or organization.applications.filter(status=ApplicationStatus.GRANTED).exists()
    )


def identity_changes(before: Organization, after: Organization) -> list[str]:
    """The identity fields whose (normalised) values differ, in the profile form's order."""
    return [name for name in IDENTITY_FIELDS if getattr(before, name) != getattr(after, name)]


@transaction.atomic
def register_organization(*, user, **fields) -> Organization:
    """Create a PES profile and make the user its member. Raises ValidationError on bad data."""
    organization = Organization(**fields)
    check_profile(organization)
    locations.place(organization)
    organization.save()
    Membership.objects.create(user=user, organization=organization)
    audit.record(actor=user, action="organization.registered", message=organization.name)
    return organization


@transaction.atomic
def update_organization(*, organization: Organization, user, **fields) -> Organization:
    """Save the profile. DomainError if it would change the identity of an organisation whose
    identity is locked (see `identity_locked`): that takes a change request."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    check_member(
        organization_id=organization.pk,
        user=user,
        message=_("Only a member of the organisation can change its profile."),
    )
    before = Organization(**{name: getattr(organization, name) for name in IDENTITY_FIELDS})
    address = {name: getattr(organization, name) for name in locations.ADDRESS_FIELDS}
    for name, value in fields.items():
        setattr(organization, name, value)
    check_profile(organization)
    changed = identity_changes(before, organization)
    if changed and identity_locked(organization):
        raise DomainError(
            _(
                "The organisation holds or held a certificate: its name, legal form, "
                "identifiers and address change only when an officer approves a change request."
            ),
            field=changed[0],
        )
    locations.follow_address(organization=organization, before=address, actor=user)
    organization.save()
    search.refresh_organization(organization=organization)  # the registry finds it by name
    audit.record(
        actor=user, action="organization.updated", message=organization.name, fields=sorted(fields)
    )
    return organization
