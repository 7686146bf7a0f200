"""Officer pages of the pins members proposed for the map (under /obsluga/lokalizacje/): the
queue, and one proposal to confirm or reject. Anyone but an officer is told they do not exist."""

import math

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ..choices import LocationProposalStatus
from ..domain import location_proposals
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.location import RejectLocationForm
from ..models import LocationProposal
from .staff_certificates import officer_required

# Decided proposals shown under the queue: the latest, for an officer looking back.
RECENT = 20
EARTH_RADIUS_KM = 6371.0


def _proposals():
    return LocationProposal.objects.select_related("organization", "proposed_by", "decided_by")


def distance_km(proposal: LocationProposal) -> float | None:
    """How far the proposed point is from where the map shows the organisation now (great
    circle): a pin kilometres from its town deserves a second look."""
    organization = proposal.organization
    if organization.latitude is None or organization.longitude is None:
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians,
        map(
            float,
            (organization.latitude, organization.longitude, proposal.latitude, proposal.longitude),
        ),
    )
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return round(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)), 1)


@officer_required
@require_safe
def location_list(request):
    pending = _proposals().filter(status=LocationProposalStatus.PENDING).order_by("proposed_at")
    recent = _proposals().exclude(status=LocationProposalStatus.PENDING).order_by("-decided_at")
    return render(
        request,
        "staff/locations.html",
        {
            "pending": [(p, distance_km(p)) for p in pending],
            "recent": list(recent[:RECENT]),
        },
    )


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def location_page(request, pk: int):
    proposal = get_object_or_404(_proposals(), pk=pk)
    reject_form = RejectLocationForm(prefix="reject")
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "confirm":
                location_proposals.confirm_location(proposal=proposal, officer=request.user)
                messages.success(request, _("The location has been confirmed; the map shows it."))
                return redirect("staff_locations")
            if action != "reject":
                raise BadRequest("No such action.")
            reject_form = RejectLocationForm(request.POST, prefix="reject")
            if reject_form.is_valid():
                location_proposals.reject_location(
                    proposal=proposal,
                    officer=request.user,
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(request, _("The location has been rejected."))
                return redirect("staff_locations")
        except DomainError as problem:
            if action == "reject":
                add_domain_error(reject_form, problem)
            else:
                error = problem
        proposal.refresh_from_db()
    return render(
        request,
        "staff/location.html",
        {
            "proposal": proposal,
            "distance": distance_km(proposal),
            "reject_form": reject_form,
            "extra_errors": [str(error)] if error else [],
        },
    )
