"""The verification pages, no login: by certificate number or NIP, and where the QR code leads."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..choices import VerificationResult
from ..domain import certificates
from ..domain.verification_by_nip import verify_by_nip
from ..forms.verify import VerifyForm
from ..signing import signature_context
from .public import Shown


def _verification_page(request, *, form, verification, status=200):
    context = {"form": form, "verification": verification}
    if verification is not None:
        context["result"] = VerificationResult(verification.result)
        if verification.certificate is not None:
            context["shown"] = Shown.of(verification.certificate, verification.on_date)
            context.update(_then(verification))
            context.update(signature_context(verification.certificate, request))
            now = verification.certificate.organization.identity
            context["holder_now"] = None if now == verification.certificate.holder else now
    return render(request, "public/verify.html", context, status=status)


def _then(verification) -> dict:
    """What a dated answer shows beside the status: the reason in force on that day."""
    certificate, in_force = verification.certificate, verification.in_force
    shows_reason = verification.result in (VerificationResult.SUSPENDED, VerificationResult.REVOKED)
    if in_force is not None:
        reason, correction = in_force.reason, in_force.correction_until
    elif verification.result == certificate.status:  # issued before the history was kept
        reason, correction = certificate.status_reason, None
    else:
        reason, correction = "", None
    return {
        "today": timezone.localdate(),
        "status_today": VerificationResult(certificate.public_status),
        "reason_then": reason if shows_reason else "",
        "correction_then": correction
        if verification.result == VerificationResult.SUSPENDED
        else None,
    }


def _nip_page(request, *, form):
    by_nip = verify_by_nip(nip_text=form.nip, on_date=form.cleaned_data.get("date"))
    context = {
        "form": form,
        "by_nip": by_nip,
        "rows": [
            (held, certificates.number_to_slug(held.certificate.number)) for held in by_nip.held
        ],
        "today": timezone.localdate(),
    }
    return render(request, "public/verify.html", context)


@require_safe
def verify(request):
    # Bound only once the form was sent: an empty first visit shows no error.
    form = VerifyForm(request.GET if "number" in request.GET else None)
    verification = None
    if form.is_valid():
        if form.nip:
            return _nip_page(request, form=form)
        verification = certificates.verify(
            number_text=form.cleaned_data["number"], on_date=form.cleaned_data.get("date")
        )
    return _verification_page(request, form=form, verification=verification)


@require_safe
def verify_number(request, slug: str):
    """Where the QR code on the certificate leads."""
    verification = certificates.verify(number_text=slug)
    known = verification.certificate is not None
    form = VerifyForm(initial={"number": verification.certificate.number if known else ""})
    return _verification_page(
        request, form=form, verification=verification, status=200 if known else 404
    )
