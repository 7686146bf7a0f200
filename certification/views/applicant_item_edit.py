"""Changing a product or service: in a draft (from the products page) or during corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus
from ..domain import item_changes
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.applicant import ItemForm
from .applicant import application_label, member_application_or_404


def _back_url(application) -> str:
    if application.status == ApplicationStatus.CORRECTIONS:
        return reverse("corrections_start", args=[application.pk])
    return reverse("application_items", args=[application.pk])


@login_required
def item_edit(request, pk: int, item_pk: int):
    application = member_application_or_404(request.user, pk)
    item = get_object_or_404(application.items.prefetch_related("cpv_links__cpv"), pk=item_pk)
    if not item_changes.item_editable(application):
        messages.error(
            request,
            _("Products and services can be changed only in a draft or during corrections."),
        )
        return redirect("application_detail", pk=application.pk)
    initial = {
        "name": item.name,
        "kind": item.kind,
        "description": item.description,
        "cpv": [link.cpv for link in item.cpv_links.all()],
    }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item_changes.update_item(
                item=item,
                user=request.user,
                name=data["name"],
                kind=data["kind"],
                description=data["description"],
                codes=data["cpv"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s” has been saved.") % {"name": data["name"]})
            return redirect(_back_url(application))
    return render(
        request,
        "applicant/item_edit.html",
        {
            "application": application,
            "label": application_label(application),
            "item": item,
            "form": form,
            "back_url": _back_url(application),
        },
    )
