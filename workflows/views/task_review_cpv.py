"""At formal review the officer confirms or corrects each product's CPV codes: one small form
per item on the review page, sent apart from the review itself (task_review.formal_review)."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.domain import item_codes
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.forms.cpv import ItemCodesForm
from certification.models import Application, ApplicationItem

# The name of the button that sends one item's codes (its value is the item's id).
CONFIRM = "confirm_cpv"


@dataclass
class ItemCodes:
    item: ApplicationItem
    form: ItemCodesForm


def code_forms(application: Application, *, data=None, item_pk: int | None = None) -> list:
    """A form per item, filled with its codes; `data` goes to the form of item `item_pk`."""
    items = application.items.prefetch_related("cpv_links__cpv", "cpv_links__confirmed_by")
    return [
        ItemCodes(
            item,
            ItemCodesForm(
                data if item.pk == item_pk else None,
                prefix=f"cpv-{item.pk}",
                initial={"codes": [link.cpv for link in item.cpv_links.all()]},
            ),
        )
        for item in items
    ]


def confirm_codes(request, task, application: Application):
    """(a redirect after confirming, None) or (None, the forms with the error to show)."""
    try:
        item_pk = int(request.POST.get(CONFIRM, ""))
    except ValueError:
        raise Http404 from None
    forms = code_forms(application, data=request.POST, item_pk=item_pk)
    entry = next((entry for entry in forms if entry.item.pk == item_pk), None)
    if entry is None:
        raise Http404
    if entry.form.is_valid():
        try:
            item_codes.confirm_item_codes(
                item=entry.item, officer=request.user, codes=entry.form.cleaned_data["codes"]
            )
        except DomainError as error:
            add_domain_error(entry.form, error, field_map={"cpv": "codes"})
        else:
            messages.success(
                request,
                _("The CPV codes of “%(name)s” are confirmed.") % {"name": entry.item.name},
            )
            return redirect(reverse("staff_task", args=[task.pk]) + "#cpv-codes"), None
    return None, forms
