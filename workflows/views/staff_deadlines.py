"""The officer extends the corrections deadline of an application awaiting corrections, and
changes the day a juror's scorecard is due."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certification.choices import ApplicationStatus
from certification.domain import deadlines
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.models import JurorAssignment
from certification.permissions import is_officer

from ..forms_deadlines import ExtendDeadlineForm, ScoringDueForm
from .staff_common import posted, staff_required
from .staff_file import viewable_file


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def extend_deadline(request, pk: int):
    application = viewable_file(request.user, pk=pk) if is_officer(request.user) else None
    if application is None:
        raise Http404
    if application.status != ApplicationStatus.CORRECTIONS:
        messages.info(request, _("This application is no longer waiting for corrections."))
        return redirect("staff_application", pk=application.pk)
    form = ExtendDeadlineForm(posted(request), current=application.corrections_deadline)
    if request.method == "POST" and form.is_valid():
        try:
            deadlines.extend_corrections_deadline(
                application=application,
                officer=request.user,
                new_deadline=form.cleaned_data["deadline"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The corrections deadline of %(number)s is now %(date)s. The applicant is told.")
                % {
                    "number": application.number,
                    "date": date_format(form.cleaned_data["deadline"], "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("staff_application", pk=application.pk)
    return render(
        request,
        "staff/extend_deadline.html",
        {"application": application, "organization": application.organization, "form": form},
    )


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def scoring_due(request, pk: int, assignment_pk: int):
    application = viewable_file(request.user, pk=pk) if is_officer(request.user) else None
    if application is None:
        raise Http404
    assignment = (
        JurorAssignment.objects.filter(application=application, pk=assignment_pk)
        .select_related("juror", "application")
        .first()
    )
    if assignment is None:
        raise Http404
    if not deadlines.is_open(assignment):
        messages.info(
            request, _("This juror has no scorecard to send for this application any more.")
        )
        return redirect("staff_application", pk=application.pk)
    form = ScoringDueForm(posted(request), current=assignment.due_on)
    if request.method == "POST" and form.is_valid():
        try:
            deadlines.change_scoring_due(
                assignment=assignment,
                officer=request.user,
                due_on=form.cleaned_data["due_on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s's scorecard for %(number)s is now due on %(date)s.")
                % {
                    "name": assignment.juror.get_full_name() or assignment.juror.username,
                    "number": application.number,
                    "date": date_format(form.cleaned_data["due_on"], "SHORT_DATE_FORMAT"),
                },
            )
            return redirect("staff_application", pk=application.pk)
    return render(
        request,
        "staff/scoring_due.html",
        {
            "application": application,
            "organization": application.organization,
            "assignment": assignment,
            "form": form,
        },
    )
