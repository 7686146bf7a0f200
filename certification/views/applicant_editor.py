"""The application editor for a draft: task list, questionnaire, products and services."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..domain import applications as domain
from ..domain import cpv, item_codes
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.applicant import ItemForm, QuestionnaireForm
from ..forms.cpv import CpvPickForm
from .applicant import (
    SECTIONS,
    application_label,
    editable_draft,
    is_autosave,
    problems_by_section,
    saved_for_later,
    section_url,
)

# Codes a search of the vocabulary offers to tick on an item's codes page.
SEARCH_RESULTS = 20


@editable_draft
def task_list(request, application):
    problems = problems_by_section(application)
    sections = [
        {
            "key": key,
            "title": title,
            "url": section_url(key, application),
            "done": not problems.get(key),
            "problems": problems.get(key, []),
        }
        for key, title in SECTIONS.items()
    ]
    return render(
        request,
        "applicant/task_list.html",
        {
            "application": application,
            "label": application_label(application),
            "sections": sections,
            "done_count": sum(1 for s in sections if s["done"]),
            "all_done": all(s["done"] for s in sections),
        },
    )


@editable_draft
def questionnaire(request, application):
    initial = {name: getattr(application, name) for name in domain.QUESTIONNAIRE_FIELDS}
    if request.method != "POST":
        return _questionnaire_page(request, application, QuestionnaireForm(initial=initial))
    autosave = is_autosave(request)
    later = autosave or "save_later" in request.POST
    form = QuestionnaireForm(request.POST, initial=initial, partial=later)
    saved = False
    if form.is_valid():
        try:
            domain.update_questionnaire(
                application=application, user=request.user, **form.answers()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            saved = True
    if autosave:
        return _autosave_answer(form, saved)
    if saved and later:
        return saved_for_later(request)
    if saved:
        messages.success(request, _("The questionnaire has been saved."))
        return redirect("application_edit", pk=application.pk)
    return _questionnaire_page(request, application, form)


def _questionnaire_page(request, application, form):
    return render(
        request,
        "applicant/questionnaire.html",
        {"application": application, "label": application_label(application), "form": form},
    )


def _autosave_answer(form, saved: bool) -> JsonResponse:
    """What the page's live region says: when it was saved, or why not (the answers stay)."""
    if saved:
        now = date_format(timezone.localtime(), "H:i")
        return JsonResponse({"saved": True, "message": _("Saved at %(time)s") % {"time": now}})
    field, errors = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else ""
    error = f"{label}: {errors[0]}" if label else errors[0]
    return JsonResponse(
        {"saved": False, "message": _("Not saved automatically: %(error)s") % {"error": error}},
        status=400,
    )


@editable_draft
def items(request, application):
    form = ItemForm(request.POST or None)
    later = "save_later" in request.POST
    if later and not any(request.POST.get(name, "").strip() for name in ("name", "description")):
        return saved_for_later(request)  # nothing typed in the form: the draft is saved already
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = item_codes.add_item_with_codes(
                application=application,
                user=request.user,
                name=data["name"],
                kind=data["kind"],
                description=data["description"],
                codes=data["cpv"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": item.name})
            if later:
                return saved_for_later(request)
            return redirect("application_items", pk=application.pk)
    return render(
        request,
        "applicant/items.html",
        {
            "application": application,
            "label": application_label(application),
            "items": list(application.items.prefetch_related("cpv_links__cpv")),
            "form": form,
        },
    )


@editable_draft
def item_cpv_codes(request, application, item_pk: int):
    """An item's CPV codes: typed (with suggestions where JavaScript runs), or ticked in a
    search of the vocabulary, which works without it."""
    item = get_object_or_404(application.items.all(), pk=item_pk)
    current = [link.cpv for link in item.cpv_links.select_related("cpv")]
    search = (request.POST if request.method == "POST" else request.GET).get("szukaj", "")
    search = search.strip()[:100]
    found = cpv.suggestions(search, limit=SEARCH_RESULTS) if search else []
    form = CpvPickForm(request.POST or None, found=found, initial={"codes": current})
    if request.method == "POST" and form.is_valid():
        try:
            item_codes.set_item_codes(
                item=item, user=request.user, codes=form.cleaned_data["codes"]
            )
        except DomainError as error:
            add_domain_error(form, error, field_map={"cpv": "codes"})
        else:
            messages.success(
                request, _("The CPV codes of “%(name)s” have been saved.") % {"name": item.name}
            )
            return redirect("application_items", pk=application.pk)
    return render(
        request,
        "applicant/item_codes.html",
        {
            "application": application,
            "label": application_label(application),
            "item": item,
            "current": current,
            "search": search,
            "found": found,
            "form": form,
        },
    )


@editable_draft
def item_remove(request, application, item_pk: int):
    item = get_object_or_404(application.items.all(), pk=item_pk)
    if request.method == "POST":
        try:
            domain.remove_item(item=item, user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("“%(name)s” has been removed.") % {"name": item.name})
        return redirect("application_items", pk=application.pk)
    return render(
        request,
        "applicant/item_remove.html",
        {
            "application": application,
            "label": application_label(application),
            "item": item,
            "document_count": item.documents.count(),
        },
    )
