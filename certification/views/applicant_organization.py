"""The organisation (PES) profile: register one, and edit it (members only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..choices import ChangeRequestStatus
from ..domain import organization_changes, organizations
from ..domain.errors import DomainError
from ..forms import add_domain_error, add_validation_error
from ..forms.applicant_organization import OrganizationForm


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organizations.register_organization(
                user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered. You can now start an application.")
                % {"name": organization.name},
            )
            return redirect("my_applications")
    return render(request, "applicant/organization_form.html", {"form": form})


@login_required
def organization_edit(request, pk: int):
    organization = get_object_or_404(request.user.organizations.all(), pk=pk)
    next_url = _safe_next(request)
    locked = organizations.identity_locked(organization)
    pending = organization_changes.pending_request(organization) if locked else None
    form = OrganizationForm(
        request.POST or None,
        initial=OrganizationForm.initial_from(organization),
        identity_locked=locked,
        request_pending=pending is not None,
    )
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            saved = (
                organization_changes.save_profile(
                    organization=organization, user=request.user, **changed
                )
                if changed
                else None
            )
        except ValidationError as error:
            add_validation_error(form, error)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            _tell(request, saved)
            return redirect(next_url or "my_applications")
    last_decided = (
        organization.change_requests.exclude(status=ChangeRequestStatus.PENDING)
        .select_related("organization")
        .first()
        if locked
        else None
    )
    return render(
        request,
        "applicant/organization_form.html",
        {
            "form": form,
            "organization": organization,
            "next": next_url,
            "identity_locked": locked,
            "pending": pending,
            "pending_rows": organization_changes.change_rows(pending) if pending else [],
            "last_decided": last_decided,
            "last_rows": organization_changes.change_rows(last_decided) if last_decided else [],
        },
    )


def _tell(request, saved) -> None:
    if saved is None or not (saved.saved or saved.change_request):
        messages.info(request, _("Nothing was changed."))
        return
    if saved.saved:
        messages.success(request, _("The organisation's details have been saved."))
    if saved.change_request:
        messages.success(
            request,
            _(
                "Your request to change the organisation's name, identifiers or address has "
                "been sent to ROPS. They change once an officer approves it; you will get an "
                "e-mail."
            ),
        )
