"""A member moves their organisation's pin on the map; an officer confirms or rejects the point.

The gazetteer (locations.py) puts an organisation at its town, or at its powiat's centre when the
town is not in it: near, seldom exact. A member proposes the exact point (one pending proposal
at a time); once an officer confirms it, the map shows it until the address changes.
"""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import events
from ..choices import LocationProposalStatus, LocationSource
from ..models import LocationProposal, Organization
from ..permissions import is_officer
from . import audit, locations
from .errors import DomainError
from .gazetteer import PLACES
from .membership import check_member

# Poland with a margin (degrees, WGS 84): a point outside is a typo or swapped coordinates.
LATITUDE_RANGE = (Decimal("49.0"), Decimal("54.9"))
LONGITUDE_RANGE = (Decimal("14.1"), Decimal("24.2"))
REASON_MAX_LENGTH = 2000


def _checked(value, bounds: tuple[Decimal, Decimal], field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(PLACES)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not bounds[0] <= number <= bounds[1]:
        raise DomainError(
            _(
                "The point must be in Poland: the latitude between 49.0 and 54.9, the longitude "
                "between 14.1 and 24.2 (degrees, e.g. 50.26489 and 19.02378)."
            ),
            field=field,
        )
    return number


def pending_proposal(organization: Organization) -> LocationProposal | None:
    return organization.location_proposals.filter(status=LocationProposalStatus.PENDING).first()


@transaction.atomic
def propose_location(
    *, organization: Organization, user, latitude: Decimal, longitude: Decimal
) -> LocationProposal:
    """DomainError for a non-member (whatever their role), a point outside Poland, or a
    proposal already waiting."""
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    check_member(
        organization_id=locked.pk,
        user=user,
        message=_("Only a member of the organisation can propose where the map shows it."),
    )
    latitude = _checked(latitude, LATITUDE_RANGE, "latitude")
    longitude = _checked(longitude, LONGITUDE_RANGE, "longitude")
    waiting = _(
        "A proposed location is already waiting for an officer. You can propose another once "
        "it is decided."
    )
    if pending_proposal(locked) is not None:
        raise DomainError(waiting)
    try:
        with transaction.atomic():
            proposal = LocationProposal.objects.create(
                organization=locked, latitude=latitude, longitude=longitude, proposed_by=user
            )
    except IntegrityError:  # another member's proposal won the race for the one pending slot
        raise DomainError(waiting) from None
    audit.record(
        actor=user,
        action="organization.location_proposed",
        message=locked.name,
        organization=locked.pk,
        proposal=proposal.pk,
        latitude=str(latitude),
        longitude=str(longitude),
    )
    return proposal


def _locked_pending(proposal: LocationProposal, officer) -> LocationProposal:
    if officer is None or not is_officer(officer):
        raise DomainError(_("Only an officer can decide a proposed location."))
    locked = (
        LocationProposal.objects.select_for_update()
        .select_related("organization")
        .get(pk=proposal.pk)
    )
    if not locked.is_pending:
        raise DomainError(_("This proposed location has already been decided."))
    if locked.organization.members.filter(pk=officer.pk).exists():
        raise DomainError(
            _("You are a member of this organisation: another officer must decide its proposal.")
        )
    return locked


def _decided(proposal: LocationProposal, *, status: str, officer) -> None:
    proposal.status = status
    proposal.decided_by = officer
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    events.announce(events.LOCATION_DECIDED, proposal_id=proposal.pk)


@transaction.atomic
def confirm_location(*, proposal: LocationProposal, officer) -> LocationProposal:
    """The map shows the organisation at the proposed point until its address changes."""
    locked = _locked_pending(proposal, officer)
    organization = Organization.objects.select_for_update().get(pk=locked.organization_id)
    before = [str(organization.latitude or ""), str(organization.longitude or "")]
    organization.latitude, organization.longitude = locked.latitude, locked.longitude
    organization.location_source = LocationSource.CONFIRMED
    organization.save(update_fields=locations.LOCATION_FIELDS)
    _decided(locked, status=LocationProposalStatus.CONFIRMED, officer=officer)
    audit.record(
        actor=officer,
        action="organization.location_confirmed",
        message=organization.name,
        organization=organization.pk,
        proposal=locked.pk,
        before=before,
        after=[str(locked.latitude), str(locked.longitude)],
    )
    return locked


@transaction.atomic
def reject_location(*, proposal: LocationProposal, officer, reason: str = "") -> LocationProposal:
    """The organisation stays where it is; the reason, if given, is told to its members."""
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(
            _("The reason can have at most %(max)d characters.") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    locked = _locked_pending(proposal, officer)
    locked.reason = reason
    _decided(locked, status=LocationProposalStatus.REJECTED, officer=officer)
    audit.record(
        actor=officer,
        action="organization.location_rejected",
        message=locked.organization.name,
        organization=locked.organization_id,
        proposal=locked.pk,
        latitude=str(locked.latitude),
        longitude=str(locked.longitude),
        reason=reason,
    )
    return locked
