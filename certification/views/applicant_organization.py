"""The organisation (PES) profile: register one, and edit it (members only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..domain import organizations
from ..forms import add_validation_error
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
    form = OrganizationForm(
        request.POST or None, initial=OrganizationForm.initial_from(organization)
    )
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changed:
                organizations.update_organization(
                    organization=organization, user=request.user, **changed
                )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if changed:
                messages.success(request, _("The organisation's details have been saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(next_url or "my_applications")
    return render(
        request,
        "applicant/organization_form.html",
        {"form": form, "organization": organization, "next": next_url},
    )
