"""The applicant's request to reconsider a refusal, partial grant or formal rejection."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certification.domain import reconsideration
from certification.domain.errors import DomainError
from certification.forms import add_domain_error
from certification.forms.reconsideration import ReconsiderationRequestForm
from certification.views.applicant import application_label, member_application_or_404

from .. import services


@login_required
def reconsideration_request(request, pk: int):
    """One stable URL per application: the form while the window is open, else back to the
    application page with why not."""
    application = member_application_or_404(request.user, pk)
    contestable, problem = reconsideration.may_request(application)
    if contestable is None or services.window_task(application) is None:
        messages.info(request, problem or _("Reconsideration cannot be requested now."))
        return redirect("application_detail", pk=application.pk)
    form = ReconsiderationRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_reconsideration(
                application=application,
                user=request.user,
                reasons=form.cleaned_data["reasons"],
                attachments=form.cleaned_data["attachments"],
            )
        except services.TaskNotAvailable:
            messages.info(request, _("Reconsideration has already been requested."))
            return redirect("application_detail", pk=application.pk)
        except DomainError as error:
            add_domain_error(form, error, default_field="reasons")
        else:
            messages.success(
                request,
                _(
                    "Your request has been sent. The second decision will be final; we will "
                    "let you know it by e-mail."
                ),
            )
            return redirect("application_detail", pk=application.pk)
    return render(
        request,
        "applicant/reconsideration.html",
        {
            "application": application,
            "label": application_label(application),
            "contestable": contestable,
            "form": form,
        },
    )
