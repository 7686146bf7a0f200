"""The application editor for a draft: task list, questionnaire, products and services."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..domain import applications as domain
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.applicant import ItemForm, QuestionnaireForm
from .applicant import SECTIONS, application_label, editable_draft, problems_by_section, section_url


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
    form = QuestionnaireForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_questionnaire(
                application=application, user=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The questionnaire has been saved."))
            return redirect("application_edit", pk=application.pk)
    return render(
        request,
        "applicant/questionnaire.html",
        {"application": application, "label": application_label(application), "form": form},
    )


@editable_draft
def items(request, application):
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = domain.add_item(application=application, user=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": item.name})
            return redirect("application_items", pk=application.pk)
    return render(
        request,
        "applicant/items.html",
        {
            "application": application,
            "label": application_label(application),
            "items": list(application.items.all()),
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
