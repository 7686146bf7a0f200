"""Changes during validity from the holder's pages: add products or services to a valid
certificate (an extension application) or withdraw one (a new version at once)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..choices import ApplicationStatus
from ..domain import versions
from ..domain.errors import DomainError
from ..domain.validity import unchangeable_because
from ..forms.scope import WithdrawItemForm
from ..models import Certificate
from .applicant import application_label


def _member_certificate_or_404(user, pk: int) -> Certificate:
    # Another organisation's certificate is not there for this user: 404, as everywhere.
    return get_object_or_404(
        Certificate.objects.filter(organization__members=user).distinct(), pk=pk
    )


@login_required
@require_POST
def certificate_extend(request, pk: int):
    certificate = _member_certificate_or_404(request.user, pk)
    try:
        application, created = versions.start_extension(certificate=certificate, user=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("application_detail", pk=certificate.application_id)
    label = application_label(application)
    if created:
        messages.success(
            request,
            _(
                "%(label)s adds to certificate %(number)s. Name only the new products or "
                "services and attach their recommendation letters; your organisation's documents "
                "are those of the certificate's file."
            )
            % {"label": label, "number": certificate.number},
        )
    else:
        messages.info(
            request,
            _("An application adding to certificate %(number)s is already under way: %(label)s.")
            % {"number": certificate.number, "label": label},
        )
    if application.status == ApplicationStatus.DRAFT:
        return redirect("application_items", pk=application.pk)
    return redirect("application_detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_withdraw_item(request, pk: int):
    certificate = _member_certificate_or_404(request.user, pk)
    items = list(certificate.items.order_by("pk"))
    problem = unchangeable_because(certificate, today=timezone.localdate())
    form = WithdrawItemForm(request.POST if request.method == "POST" else None, items=items)
    errors = []
    if request.method == "POST" and problem is None and form.is_valid():
        item = next(i for i in items if i.pk == form.cleaned_data["item"])
        try:
            version = versions.withdraw_item(
                certificate=certificate,
                item=item,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            errors.append(str(error))
        else:
            messages.success(
                request,
                _(
                    "“%(item)s” has been withdrawn: certificate %(number)s is now version "
                    "%(version)d, valid until the same date."
                )
                % {"item": item.name, "number": certificate.number, "version": version.number},
            )
            return redirect("application_detail", pk=certificate.application_id)
    status = 400 if errors or (request.method == "POST" and form.errors) else 200
    return render(
        request,
        "applicant/withdraw_item.html",
        {
            "certificate": certificate,
            "form": form,
            "problem": problem,
            "extra_errors": errors,
        },
        status=status,
    )
