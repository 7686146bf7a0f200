"""“Check your answers”: everything in the draft on one page, with what still stops submission."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import localize

from ..domain import applications as domain
from ..models import Application
from .applicant import application_label, editable_draft, section_url
from .applicant_documents import document_groups


def check_context(application: Application) -> dict:
    problems = [
        {"message": p.message, "url": section_url(p.section, application)}
        for p in domain.completeness_problems(application)
    ]
    questionnaire_url = reverse("application_questionnaire", args=[application.pk])
    answers = [
        {
            "label": Application._meta.get_field(name).verbose_name,
            # Numbers as the reader writes them (42,50 in Polish): linebreaksbr would not.
            "value": localize(getattr(application, name)),
            "url": f"{questionnaire_url}#id_{name}",
        }
        for name in domain.QUESTIONNAIRE_FIELDS
    ]
    return {
        "application": application,
        "label": application_label(application),
        "organization": application.organization,
        "organization_url": section_url("organization", application),
        "answers": answers,
        "items": list(application.items.prefetch_related("cpv_links__cpv")),
        "groups": document_groups(application),
        "problems": problems,
    }


@editable_draft
def check_answers(request, application):
    return render(request, "applicant/check.html", check_context(application))
