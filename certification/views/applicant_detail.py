"""An application after submission, as its applicant sees it: status, documents, history."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus, CertificateStatus
from ..domain import decision, reconsideration, renewal, versions
from ..domain.certificates import number_to_slug
from ..domain.validity import unchangeable_because
from ..models import Application, Certificate, Document, SchemeRules
from .applicant import application_label, member_application_or_404, next_step
from .applicant_timeline import applicant_timeline
from .credentials import credential_context


@dataclass
class DocumentVersions:
    """A current document and the versions it replaced, newest first."""

    current: Document
    older: list[Document] = field(default_factory=list)


def documents_with_versions(application: Application) -> list[DocumentVersions]:
    documents = list(
        application.documents.select_related("document_type", "item").order_by(
            "document_type__position", "item_id", "pk"
        )
    )
    replaced = {d.superseded_by_id: d for d in documents if d.superseded_by_id}
    rows = []
    for document in documents:
        if not document.is_current:
            continue
        row = DocumentVersions(current=document)
        previous = replaced.get(document.pk)
        while previous is not None:
            row.older.append(previous)
            previous = replaced.get(previous.pk)
        rows.append(row)
    return rows


@login_required
def application_detail(request, pk: int):
    application = member_application_or_404(request.user, pk)
    if application.status == ApplicationStatus.DRAFT:
        return redirect("application_edit", pk=application.pk)
    certificate = getattr(application, "certificate", None)
    return render(
        request,
        "applicant/detail.html",
        {
            "application": application,
            "label": application_label(application),
            "next_step": next_step(application),
            "needs_corrections": application.status == ApplicationStatus.CORRECTIONS,
            "items": list(application.items.prefetch_related("cpv_links__cpv")),
            "documents": documents_with_versions(application),
            "timeline": applicant_timeline(application),
            "certificate": certificate,
            "certificate_slug": number_to_slug(certificate.number) if certificate else "",
            "certificate_status": (
                CertificateStatus(certificate.public_status).label.lower() if certificate else ""
            ),
            "resolution": decision.in_force(application),
            "letters": list(application.letters.exclude(pdf="").order_by("created", "pk")),
            **(credential_context(certificate) if certificate else {}),
            **_renewal_context(certificate),
            **_scope_context(certificate),
            **_decision_target(application),
            **_reconsideration_context(application),
        },
    )


def _reconsideration_context(application: Application) -> dict:
    """The open window (the decision and its deadline), and the requests made."""
    window, _problem = reconsideration.may_request(application)
    context = {
        "reconsideration_window": window,
        "reconsiderations": list(
            application.reconsiderations.select_related("contested_resolution").prefetch_related(
                "attachments"
            )
        ),
    }
    if window is not None:
        context["next_step"] = _(
            "You may ask for the decision to be reconsidered until %(date)s."
        ) % {"date": date_format(window.deadline, "j E Y")}
    return context


# Until the jury decides, the page says when the applicant may expect the decision.
AWAITING_DECISION = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.CORRECTIONS,
    ApplicationStatus.JURY_ASSIGNMENT,
    ApplicationStatus.SCORING,
    ApplicationStatus.DECISION,
}


def _decision_target(application: Application) -> dict:
    if application.status not in AWAITING_DECISION:
        return {}
    rules = SchemeRules.current()
    return {
        "decision_target_days": rules.decision_target_days,
        "decision_target_months": rules.decision_target_months,
    }


def _scope_context(certificate: Certificate | None) -> dict:
    """Whether the holder may add to or withdraw from the certificate now, and an extension
    application under way."""
    if certificate is None or unchangeable_because(certificate, today=timezone.localdate()):
        return {}
    pending = versions.pending_extension(certificate)
    return {
        "scope_changeable": True,
        "pending_extension": pending,
        "pending_extension_label": application_label(pending) if pending else "",
    }


def _renewal_context(certificate: Certificate | None) -> dict:
    """The renewal under way, the renewal button once it may start, or when it will."""
    if certificate is None:
        return {}
    pending = renewal.pending_renewal(certificate)
    if pending is not None:
        return {"pending_renewal": pending, "pending_renewal_label": application_label(pending)}
    today = timezone.localdate()
    if renewal.member_renewal_problem(certificate, today=today) is None:
        return {"renewable": True}
    opens = renewal.member_renewal_opens_on(certificate)
    if today < opens and certificate.status == CertificateStatus.VALID:
        return {"renewal_opens": opens}
    return {}
