"""Tasks after scoring: the jury's resolution and the certificate issue."""

from django.urls import reverse
from django.utils.translation import gettext as _

from certification.domain import decision
from certification.domain.certificates import number_to_slug

from .. import services
from ..forms_staff import ConfirmForm, ResolutionForm
from .staff_common import posted, task_form_page
from .staff_file import application_summary, scores_of


def resolution(request, task):
    application = task.process.coerced.application
    form = ResolutionForm(posted(request), items=application.items.all())
    return task_form_page(
        request,
        form=form,
        action=lambda f: services.record_resolution(
            task_pk=task.pk,
            user=request.user,
            number=f.cleaned_data["number"],
            date=f.cleaned_data["date"],
            votes_for=f.cleaned_data["votes_for"],
            votes_against=f.cleaned_data["votes_against"],
            votes_abstaining=f.cleaned_data["votes_abstaining"],
            granted_items=f.cleaned_data["granted_items"],
            justification=f.cleaned_data["justification"],
        ),
        success=lambda res: (
            _("Resolution %(number)s recorded: %(outcome)s.")
            % {"number": res.number, "outcome": res.get_outcome_display()}
        ),
        template="staff/task_resolution.html",
        context={"task": task, **application_summary(application), **scores_of(application)},
    )


def issue(request, task):
    application = task.process.coerced.application
    resolution = decision.in_force(application)
    granted = resolution.granted_items()
    return task_form_page(
        request,
        form=ConfirmForm(posted(request)),
        action=lambda _f: services.issue_certificate(task_pk=task.pk, user=request.user),
        success=lambda certificate: (
            _("Certificate %(number)s has been issued to %(organization)s.")
            % {"number": certificate.number, "organization": application.organization.name}
        ),
        # Straight to the certificate: its number, PDF and public page are what the officer
        # passes on next.
        success_url=lambda certificate: reverse(
            "staff_certificate", args=[number_to_slug(certificate.number)]
        ),
        template="staff/task_issue.html",
        context={
            "task": task,
            **application_summary(application),
            "resolution": resolution,
            "granted_items": granted,
        },
    )
