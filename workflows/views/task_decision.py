"""Tasks after scoring: the jury's resolution and the certificate issue."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certification.choices import SessionStatus
from certification.domain import decision, sessions
from certification.domain.certificates import number_to_slug, validity_if_issued
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.models import JurySession
from certification.views.staff_certificates import JUST_ISSUED

from .. import services
from ..forms_sessions import AddToSessionForm
from ..forms_staff import ConfirmForm
from .staff_common import posted, task_form_page
from .staff_file import application_summary, scores_of


def resolution(request, task):
    """The jury decides at a session: this page says on which session's agenda the application
    is, or lets an officer put it on the agenda of a scheduled one."""
    application = task.process.coerced.application
    agenda_item = sessions.open_agenda_item(application)
    form = None
    if agenda_item is None and request.user.has_perm("certification.prepare_sessions"):
        scheduled = JurySession.objects.filter(status=SessionStatus.SCHEDULED).order_by(
            "starts_at", "pk"
        )
        form = AddToSessionForm(posted(request), scheduled=scheduled)
    if request.method == "POST" and form is None:
        messages.error(request, _("This application is already on a session's agenda."))
        return redirect("staff_task", task_pk=task.pk)
    if request.method == "POST" and form.is_valid():
        try:
            item = sessions.add_to_agenda(
                officer=request.user,
                session=form.cleaned_data["session"],
                application=application,
            )
        except DomainError as error:
            add_domain_error(form, error, default_field="session")
        else:
            messages.success(
                request,
                _("Application %(number)s is on the agenda of session %(session)s.")
                % {"number": application.number, "session": item.session.number},
            )
            return redirect("staff_session", pk=item.session_id)
    return render(
        request,
        "staff/task_resolution.html",
        {
            "task": task,
            **application_summary(application),
            **scores_of(application),
            "agenda_item": agenda_item,
            "form": form,
        },
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
        # Straight to the certificate, with its confirmation panel: its number, validity,
        # PDF and public page are what the officer passes on next.
        success_url=lambda certificate: (
            reverse("staff_certificate", args=[number_to_slug(certificate.number)])
            + f"?{JUST_ISSUED}=1"
        ),
        template="staff/task_issue.html",
        context={
            "task": task,
            **application_summary(application),
            "resolution": resolution,
            "granted_items": granted,
            # The dates issuing today would give, shown before the irreversible step.
            "validity": validity_if_issued(timezone.localdate()),
        },
    )
