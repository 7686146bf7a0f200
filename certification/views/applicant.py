"""Applicant pages: the list of one's applications, and helpers shared by the other pages.

Every applicant page looks objects up among the user's own organisations' applications, so an
application of another organisation answers 404.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ..choices import ApplicationStatus
from ..domain import applications as domain
from ..domain import reconsideration, renewal
from ..domain.errors import DomainError
from ..models import Application
from ..permissions import applications_visible_to
from ..stages import stage

# The parts of the editor's task list, in order: Problem.section → title.
SECTIONS = {
    "organization": gettext_lazy("Organisation details"),
    "questionnaire": gettext_lazy("Questionnaire"),
    "items": gettext_lazy("Products and services"),
    "documents": gettext_lazy("Documents"),
}


def member_applications(user) -> QuerySet[Application]:
    """Applications of the user's own organisations (officers and jurors use staff pages)."""
    return applications_visible_to(user).filter(organization__members=user)


def member_application_or_404(user, pk: int) -> Application:
    return get_object_or_404(member_applications(user), pk=pk)


def is_autosave(request) -> bool:
    """A background save sent by static/js/unsaved.js; it is answered with JSON, not a page."""
    return request.method == "POST" and request.POST.get("autosave") == "1"


def editable_draft(view):
    """Load the user's draft; after submission say so and show the application instead."""

    @login_required
    def guarded(request, pk, *args, **kwargs):
        application = member_application_or_404(request.user, pk)
        if not request.user.has_perm("certification.edit_application", application):
            message = _("This application has been submitted and can no longer be edited.")
            if is_autosave(request):
                return JsonResponse(
                    {"saved": False, "submitted": True, "message": message}, status=409
                )
            messages.error(request, message)
            return redirect("application_detail", pk=application.pk)
        return view(request, application, *args, **kwargs)

    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        if is_autosave(request) and not request.user.is_authenticated:
            # A redirect to the login page would lose the answers in the background; say it.
            message = _(
                "Not saved automatically: you have been logged out. Log in again in another "
                "tab, then come back here and choose “Save and come back later”."
            )
            return JsonResponse({"saved": False, "message": message}, status=401)
        return guarded(request, pk, *args, **kwargs)

    return wrapper


def saved_for_later(request):
    """The answer to “Save and come back later”: where the draft will be found again."""
    messages.success(
        request,
        _("Your draft is saved. You can come back to it at any time from “My applications”."),
    )
    return redirect("my_applications")


def application_label(application: Application) -> str:
    if application.number:
        return _("Application %(number)s") % {"number": application.number}
    return _("Application draft #%(pk)d") % {"pk": application.pk}


def next_step(application: Application) -> str:
    """What happens next, in the applicant's words (certification/stages.py), with the
    corrections' deadline or the certificate's number when there is one."""
    entry = stage(application.status)
    if application.status == ApplicationStatus.CORRECTIONS and application.corrections_deadline:
        return entry.applicant_next_detailed % {
            "date": date_format(application.corrections_deadline, "j E Y")
        }
    certificate = getattr(application, "certificate", None)
    if certificate is None and application.extension_of_id is not None:
        certificate = application.extension_of  # its grant made a new version of that one
    if application.status == ApplicationStatus.CERTIFIED and certificate is not None:
        return entry.applicant_next_detailed % {"number": certificate.number}
    if application.status in (ApplicationStatus.REFUSED, ApplicationStatus.REJECTED):
        # Not "nothing more to do" while the decision may still be contested.
        window, _why_not = reconsideration.may_request(application)
        if window is not None:
            return _("You may ask for the decision to be reconsidered until %(date)s.") % {
                "date": date_format(window.deadline, "j E Y")
            }
    return str(entry.applicant_next)


def section_url(section: str, application: Application) -> str:
    if section == "organization":
        edit = reverse("organization_edit", args=[application.organization_id])
        return f"{edit}?{urlencode({'next': reverse('application_edit', args=[application.pk])})}"
    return reverse(f"application_{section}", args=[application.pk])


def problems_by_section(application: Application) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {section: [] for section in SECTIONS}
    for problem in domain.completeness_problems(application):
        grouped.setdefault(problem.section, []).append(problem.message)
    return grouped


def _certificate_if(application: Application, pks: set[int]):
    """The application's certificate if its pk is among `pks`, else None."""
    certificate = getattr(application, "certificate", None)
    return certificate if certificate is not None and certificate.pk in pks else None


@login_required
def my_applications(request):
    organizations = list(request.user.organizations.order_by("name", "pk"))
    applications = list(
        member_applications(request.user)
        .select_related("certificate", "extension_of")
        .order_by("-created", "-pk")
    )
    # The renewal is offered once a certificate nears its end: the domain says which.
    renewable = renewal.renewable_by_members(
        certificates=[getattr(a, "certificate", None) for a in applications],
        today=timezone.localdate(),
    )
    for organization in organizations:
        organization.application_rows = [
            {
                "application": a,
                "label": application_label(a),
                "next_step": next_step(a),
                "editable": a.status == ApplicationStatus.DRAFT,
                "needs_corrections": a.status == ApplicationStatus.CORRECTIONS,
                "renewable": _certificate_if(a, renewable),
            }
            for a in applications
            if a.organization_id == organization.pk
        ]
    return render(request, "applicant/my_applications.html", {"organizations": organizations})


@login_required
@require_POST
def application_create(request, organization_pk: int):
    organization = get_object_or_404(request.user.organizations.all(), pk=organization_pk)
    try:
        application = domain.create_application(organization=organization, user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("my_applications")
    messages.success(request, _("A new application draft has been created."))
    return redirect("application_edit", pk=application.pk)
