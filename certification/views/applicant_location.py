"""Where the map shows the organisation, and a member's proposal of a better point."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..choices import LocationProposalStatus
from ..domain import location_proposals
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.location import LocationProposalForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_location(request, pk: int):
    # Membership, not a role: anyone else (a superuser too) is told the page does not exist.
    organization = get_object_or_404(request.user.organizations.all(), pk=pk)
    pending = location_proposals.pending_proposal(organization)
    form = LocationProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            location_proposals.propose_location(
                organization=organization, user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "The point has been sent to ROPS. The map shows it once an officer "
                    "confirms it; you will get an e-mail."
                ),
            )
            return redirect("organization_location", pk=organization.pk)
    last_decided = (
        organization.location_proposals.exclude(status=LocationProposalStatus.PENDING)
        .select_related("decided_by")
        .order_by("-decided_at")
        .first()
    )
    return render(
        request,
        "applicant/organization_location.html",
        {
            "organization": organization,
            "form": form,
            "pending": pending,
            "last_decided": last_decided,
        },
    )
