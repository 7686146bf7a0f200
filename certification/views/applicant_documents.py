"""The documents checklist of a draft: what is needed, what is attached, what is missing.

The checklist mirrors the counts that `completeness_problems` enforces; the domain stays the
judge at submission, this page only shows the applicant where they stand.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..domain import documents as domain
from ..domain.document_age import max_age_text
from ..domain.errors import DomainError
from ..forms import add_domain_error
from ..forms.applicant import UploadForm
from ..models import Application, ApplicationItem, Document, DocumentType, SchemeRules
from .applicant import application_label, editable_draft


@dataclass
class Slot:
    """One line of the checklist: a document type, for the whole application or one item."""

    document_type: DocumentType
    item: ApplicationItem | None
    needed: int
    documents: list[Document] = field(default_factory=list)
    form: UploadForm | None = None

    @property
    def key(self) -> str:
        return f"t{self.document_type.pk}" + (f"-i{self.item.pk}" if self.item else "")

    @property
    def title(self) -> str:
        if self.item is None:
            return self.document_type.name
        return _("%(type)s for “%(item)s”") % {
            "type": self.document_type.name,
            "item": self.item.name,
        }

    @property
    def missing(self) -> int:
        return max(self.needed - len(self.documents), 0)

    @property
    def optional(self) -> bool:
        return self.needed == 0


@dataclass
class TypeGroup:
    """A document type with its slots: one, or one per product or service."""

    document_type: DocumentType
    needed: int
    slots: list[Slot] = field(default_factory=list)

    @property
    def max_age(self) -> str:
        return max_age_text(self.document_type) if self.document_type.has_max_age else ""


def document_groups(application: Application) -> list[TypeGroup]:
    rules = SchemeRules.current()
    items = list(application.items.all())
    current = [d for d in application.documents.all() if d.is_current]
    groups = []
    for doc_type in DocumentType.objects.all():
        needed = doc_type.min_count if doc_type.required else 0
        if doc_type.per_item and doc_type.required:
            needed = max(needed, rules.min_recommendations_per_item)
        group = TypeGroup(document_type=doc_type, needed=needed)
        groups.append(group)
        for item in items if doc_type.per_item else [None]:
            group.slots.append(
                Slot(
                    document_type=doc_type,
                    item=item,
                    needed=needed,
                    documents=[
                        d
                        for d in current
                        if d.document_type_id == doc_type.pk
                        and (item is None or d.item_id == item.pk)
                    ],
                )
            )
    return groups


def _with_form(slot: Slot, data=None, files=None) -> Slot:
    dated = slot.document_type.issue_date_required
    # A dated type takes one file per upload: each file has its own issue date.
    slot.form = UploadForm(data, files, prefix=slot.key, multiple=not dated, dated=dated)
    label = _("Add files: %(what)s") if not dated else _("Add a file: %(what)s")
    slot.form.fields["file"].label = label % {"what": slot.title}
    return slot


@editable_draft
def documents(request, application):
    groups = document_groups(application)
    slots = [_with_form(slot) for group in groups for slot in group.slots]
    failed = None
    if request.method == "POST":
        slot = next((s for s in slots if s.key == request.POST.get("slot")), None)
        if slot is None:
            return redirect("application_documents", pk=application.pk)
        _with_form(slot, request.POST, request.FILES)
        if slot.form.is_valid():
            try:
                added = domain.add_documents(
                    application=application,
                    user=request.user,
                    document_type=slot.document_type,
                    item=slot.item,
                    uploads=slot.form.chosen_files(),
                    issue_date=slot.form.cleaned_data.get("issue_date"),
                )
            except DomainError as error:
                add_domain_error(slot.form, error, default_field="file")
            else:
                for document in added:
                    messages.success(
                        request,
                        _("“%(name)s” has been attached.") % {"name": document.original_name},
                    )
                return redirect(f"{request.path}#{slot.key}")
        failed = slot.form
    return render(
        request,
        "applicant/documents.html",
        {
            "application": application,
            "label": application_label(application),
            "groups": groups,
            "failed_form": failed,
            "missing": [s for s in slots if s.missing],
        },
    )


@editable_draft
def document_remove(request, application, document_pk: int):
    document = get_object_or_404(application.documents.all(), pk=document_pk)
    if request.method == "POST":
        try:
            domain.remove_document(document=document, user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("“%(name)s” has been removed.") % {"name": document.original_name}
            )
    return redirect("application_documents", pk=application.pk)
