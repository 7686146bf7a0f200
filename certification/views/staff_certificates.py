"""Officer pages of the certificate lifecycle: the list, and one certificate with its actions.

The lifecycle outlives the workflow, so these views call certification.domain.lifecycle
directly. Anyone but an officer is told the pages do not exist.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from ..choices import CertificateStatus, CertificateTransition, VerificationResult
from ..domain import certificates, lifecycle
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.lifecycle import LIFECYCLE_FORMS
from ..forms.public import RegistryFilterForm
from ..models import Certificate
from ..permissions import is_officer
from .public import certificate_or_404

PAGE_SIZE = 25

ACTION_LABELS = {
    "certificate.issued": gettext_lazy("Certificate issued"),
    "certificate.suspended": gettext_lazy("Certificate suspended"),
    "certificate.reinstated": gettext_lazy("Certificate reinstated"),
    "certificate.revoked": gettext_lazy("Certificate revoked"),
    "certificate.expired": gettext_lazy("Certificate expired"),
    "certificate.renewed": gettext_lazy("Certificate renewed"),
    "certificate.renewal_started": gettext_lazy("Renewal application started"),
    "certificate.renewal_reminder": gettext_lazy("Renewal reminder e-mailed"),
}

# What each action does, for the success message.
DONE = {
    "suspend": gettext_lazy("Certificate %(number)s has been suspended."),
    "reinstate": gettext_lazy("Certificate %(number)s is valid again."),
    "revoke": gettext_lazy("Certificate %(number)s has been revoked."),
}


def officer_required(view):
    """Logged-in officers only; anyone else is told the page does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_officer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@officer_required
@require_safe
def certificate_list(request):
    today = timezone.localdate()
    form = RegistryFilterForm(request.GET or None)
    form.is_valid()
    queryset = form.filter(
        Certificate.objects.select_related("organization").order_by("-year", "-sequence"),
        today=today,
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (c, VerificationResult(c.status_on(today)), certificates.number_to_slug(c.number))
        for c in page
    ]
    return render(request, "staff/certificates.html", {"form": form, "page": page, "rows": rows})


def _run(action: str, form, certificate: Certificate, user) -> Certificate:
    data = form.cleaned_data
    if action == "suspend":
        return lifecycle.suspend_certificate(
            certificate=certificate,
            user=user,
            reason=data["reason"],
            correction_until=data["correction_until"],
        )
    if action == "reinstate":
        return lifecycle.reinstate_certificate(
            certificate=certificate, user=user, note=data["note"]
        )
    return lifecycle.revoke_certificate(certificate=certificate, user=user, reason=data["reason"])


# The query flag that shows the "just issued" confirmation panel (the issue task sends the
# officer here with it). It only changes what is shown first, never what may be done.
JUST_ISSUED = "wydano"


@officer_required
@require_http_methods(["GET", "HEAD", "POST"])
def certificate_page(request, slug: str):
    certificate = certificate_or_404(
        slug, Certificate.objects.select_related("organization", "application", "predecessor")
    )
    canonical = certificates.number_to_slug(certificate.number)
    if slug != canonical:
        return redirect("staff_certificate", slug=canonical)
    forms = {name: form_class(prefix=name) for name, form_class in LIFECYCLE_FORMS.items()}
    sent = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in LIFECYCLE_FORMS:
            raise BadRequest("No such action.")
        sent = forms[action] = LIFECYCLE_FORMS[action](request.POST, prefix=action)
        if sent.is_valid():
            try:
                _run(action, sent, certificate, request.user)
            except DomainError as error:
                # The domain's "reason" of a reinstatement is the form's note.
                field_map = {"reason": "note"} if action == "reinstate" else None
                add_domain_error(sent, error, field_map=field_map)
            else:
                messages.success(request, DONE[action] % {"number": certificate.number})
                return redirect("staff_certificate", slug=canonical)
        certificate.refresh_from_db()
    allowed = lifecycle.allowed_transitions(certificate)
    shown = {name: form for name, form in forms.items() if name in allowed or form is sent}
    return render(
        request,
        "staff/certificate.html",
        {
            "certificate": certificate,
            "slug": canonical,
            "status": VerificationResult(certificate.status_on(timezone.localdate())),
            "forms": shown,
            "error_form": sent if sent is not None and sent.errors else None,
            "suspension": _current_suspension(certificate),
            "history": _audit_rows(certificate),
            "predecessor": _linked([certificate.predecessor] if certificate.predecessor else []),
            "successors": _linked(certificate.successors.order_by("pk")),
            "just_issued": request.method != "POST" and JUST_ISSUED in request.GET,
        },
    )


def _linked(others) -> list[tuple[Certificate, str]]:
    return [(other, certificates.number_to_slug(other.number)) for other in others]


def _current_suspension(certificate: Certificate):
    if certificate.status != CertificateStatus.SUSPENDED:
        return None
    return (
        certificate.status_changes.filter(transition=CertificateTransition.SUSPEND)
        .order_by("-effective", "-pk")
        .first()
    )


def _audit_rows(certificate: Certificate) -> list[dict]:
    states = dict(CertificateStatus.choices)
    return [
        {
            "event": event,
            "details": event.message,
            "label": ACTION_LABELS.get(event.action, event.action),
            "from_state": states.get(event.from_state, event.from_state),
            "to_state": states.get(event.to_state, event.to_state),
        }
        for event in certificate.audit_events.select_related("actor").order_by("timestamp", "pk")
    ]
