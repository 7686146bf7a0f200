"""Officer pages for applications received on paper: register one, invite its PES to take it
over online, and record the corrections it sends on paper while it has no account.

Anyone but an officer is told the pages do not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from certification.domain import invitations, paper
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.views.staff_certificates import officer_required

from .. import services_paper
from ..forms_paper import ORG, PaperApplicationForm, PaperCorrectionsForm, TakeOverInvitationForm
from .staff_common import posted, task_form_page
from .staff_file import application_summary, documents_of, viewable_file

# The domain's names for fields that the form calls otherwise.
FIELD_MAP = {"items": "item1_name"}


def _add_organization_errors(form, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        field = ORG + name if ORG + name in form.fields else None
        for message in messages_:
            form.add_error(field, message)


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    form = PaperApplicationForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services_paper.register_paper(officer=request.user, **form.registration())
        except ValidationError as error:
            _add_organization_errors(form, error)
        except DomainError as error:
            add_domain_error(form, error, field_map=FIELD_MAP)
        else:
            messages.success(
                request,
                _(
                    "Application %(number)s of %(organization)s registered from paper; it "
                    "awaits formal review."
                )
                % {"number": application.number, "organization": application.organization.name},
            )
            return redirect("staff_application", pk=application.pk)
    return render(request, "staff/paper_register.html", {"form": form})


def _paper_file(request, pk: int):
    application = viewable_file(request.user, pk=pk, received_on_paper__isnull=False)
    if application is None:
        raise Http404
    return application


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def take_over(request, pk: int):
    application = _paper_file(request, pk)
    form = TakeOverInvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = invitations.invite_to_take_over(
                application=application, email=form.cleaned_data["email"], officer=request.user
            )
        except DomainError as error:
            add_domain_error(form, error, default_field="email")
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. It is valid for %(days)d days.")
                % {"email": invitation.email, "days": invitations.VALID_DAYS},
            )
            return redirect("staff_application", pk=application.pk)
    organization = application.organization
    return render(
        request,
        "staff/paper_take_over.html",
        {
            "application": application,
            "organization": organization,
            "form": form,
            "unclaimed": paper.unclaimed(application),
            "pending": list(invitations.open_invitations(organization=organization)),
        },
    )


def corrections(request, task):
    """The corrections task of a paper application whose PES has no account: the officer
    records what arrived on paper (staff_task.TASK_PAGES)."""
    application = task.process.coerced.application
    if not paper.unclaimed(application):
        raise Http404  # its members answer on their own pages
    form = PaperCorrectionsForm(posted(request), request.FILES or None, application=application)
    return task_form_page(
        request,
        form=form,
        action=lambda f: services_paper.record_paper_corrections(
            task_pk=task.pk,
            user=request.user,
            answer=f.cleaned_data["answer"],
            replacements=f.replacements(),
            additions=f.additions(),
        ),
        success=lambda app: (
            _("Corrections of %(number)s received on paper recorded; it awaits formal review.")
            % {"number": app.number}
        ),
        template="staff/task_paper_corrections.html",
        context={
            "task": task,
            **application_summary(application),
            **documents_of(application),
            "review": application.reviews.prefetch_related("defects__document").last(),
        },
        field_map={"file": "new_files"},
    )
