"""Renewal from the applicant's pages: a draft pre-filled from the certificate's application."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..choices import ApplicationStatus
from ..domain import renewal
from ..domain.errors import DomainError
from ..models import Certificate
from .applicant import application_label


@login_required
@require_POST
def certificate_renew(request, pk: int):
    # Another organisation's certificate is not there for this user: 404, as everywhere.
    certificate = get_object_or_404(
        Certificate.objects.filter(organization__members=request.user).distinct(), pk=pk
    )
    try:
        application, created = renewal.start_renewal_as_member(
            certificate=certificate, user=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("application_detail", pk=certificate.application_id)
    if created:
        items = application.items.count()
        copied = ngettext(
            "%(label)s renews certificate %(number)s. We copied the questionnaire answers and "
            "the %(count)d product or service of the certificate: check them.",
            "%(label)s renews certificate %(number)s. We copied the questionnaire answers and "
            "the %(count)d products and services of the certificate: check them.",
            items,
        ) % {"label": application_label(application), "number": certificate.number, "count": items}
        upload = _(
            "Documents are not copied: upload current ones again, including the recommendation "
            "letters, under “Documents”."
        )
        messages.success(request, f"{copied} {upload}")
    else:
        messages.info(
            request,
            _("The renewal of certificate %(number)s has already been started: %(label)s.")
            % {"number": certificate.number, "label": application_label(application)},
        )
    if application.status == ApplicationStatus.DRAFT:
        return redirect("application_edit", pk=application.pk)
    return redirect("application_detail", pk=application.pk)
