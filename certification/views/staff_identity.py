"""Officer pages of the requests to change an organisation's details (under
/obsluga/zmiany-danych/): the queue, and one request to approve or refuse.

Anyone but an officer is told the pages do not exist.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ..choices import ChangeRequestStatus
from ..domain import organization_changes
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.identity import RefuseChangeForm
from ..models import OrganizationChangeRequest
from .staff_certificates import officer_required

# Decided requests shown under the queue: the latest, for an officer looking back.
RECENT = 20


def _requests():
    return OrganizationChangeRequest.objects.select_related(
        "organization", "requested_by", "decided_by"
    )


@officer_required
@require_safe
def change_request_list(request):
    pending = list(_requests().filter(status=ChangeRequestStatus.PENDING).order_by("requested_at"))
    recent = list(
        _requests().exclude(status=ChangeRequestStatus.PENDING).order_by("-decided_at")[:RECENT]
    )
    return render(
        request,
        "staff/change_requests.html",
        {
            "pending": [(r, organization_changes.change_rows(r)) for r in pending],
            "recent": [(r, organization_changes.change_rows(r)) for r in recent],
        },
    )


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def change_request_page(request, pk: int):
    change_request = get_object_or_404(_requests(), pk=pk)
    refuse_form = RefuseChangeForm(prefix="refuse")
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "approve":
                organization_changes.approve_request(
                    change_request=change_request, officer=request.user
                )
                messages.success(request, _("The change has been approved and made."))
                return redirect("staff_change_requests")
            if action != "refuse":
                raise BadRequest("No such action.")
            refuse_form = RefuseChangeForm(request.POST, prefix="refuse")
            if refuse_form.is_valid():
                organization_changes.refuse_request(
                    change_request=change_request,
                    officer=request.user,
                    reason=refuse_form.cleaned_data["reason"],
                )
                messages.success(request, _("The change has been refused."))
                return redirect("staff_change_requests")
        except DomainError as problem:
            if action == "refuse":
                add_domain_error(refuse_form, problem)
            else:
                error = problem
        change_request.refresh_from_db()
    return render(
        request,
        "staff/change_request.html",
        {
            "change_request": change_request,
            "rows": organization_changes.change_rows(change_request),
            "refuse_form": refuse_form,
            "extra_errors": [str(error)] if error else [],
            "certificates": change_request.organization.certificates.order_by("-year", "-sequence"),
        },
    )
