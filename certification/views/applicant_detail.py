"""An application after submission, as its applicant sees it: status, documents, history."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..choices import ApplicationStatus
from ..models import Application, Document
from .applicant import application_label, member_application_or_404, next_step
from .applicant_timeline import applicant_timeline


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
    return render(
        request,
        "applicant/detail.html",
        {
            "application": application,
            "label": application_label(application),
            "next_step": next_step(application),
            "needs_corrections": application.status == ApplicationStatus.CORRECTIONS,
            "items": list(application.items.all()),
            "documents": documents_with_versions(application),
            "timeline": applicant_timeline(application),
            "certificate": getattr(application, "certificate", None),
            "resolution": getattr(application, "resolution", None),
        },
    )
