"""Storing application documents: checked by content, hashed, never left half-saved."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus
from ..models import Application, ApplicationItem, Document, DocumentType
from ..storage import StorageFailure, discard, store
from . import audit
from .errors import DomainError
from .file_checks import check_upload, display_name
from .membership import check_acts_for_applicant

EDITABLE_STATUSES = {ApplicationStatus.DRAFT, ApplicationStatus.CORRECTIONS}


def _check_not_duplicate(application: Application, sha256: str, replaces: Document | None):
    if replaces is not None and replaces.sha256 == sha256:
        raise DomainError(
            _("This is the very file already attached; choose the corrected version."),
            field="file",
        )
    if Document.objects.filter(
        application=application, sha256=sha256, superseded_by__isnull=True
    ).exists():
        raise DomainError(_("This very file is already attached to the application."), field="file")


def _check_total_size(application: Application, size: int, replaces: Document | None):
    """All current files of the application together stay within the configured total."""
    current = Document.objects.filter(application=application, superseded_by__isnull=True)
    if replaces is not None:
        current = current.exclude(pk=replaces.pk)
    total = (current.aggregate(total=Sum("size"))["total"] or 0) + size
    limit = settings.MAX_APPLICATION_DOCUMENTS_SIZE
    if total > limit:
        raise DomainError(
            _(
                "All files of an application together may take up to %(limit)s; with this one "
                "they would take %(total)s. Remove a file you no longer need, or attach a "
                "smaller version (for example a scan at a lower resolution)."
            )
            % {"limit": filesizeformat(limit), "total": filesizeformat(total)},
            field="file",
        )


def _check_member(application: Application, user) -> None:
    check_acts_for_applicant(
        application=application,
        user=user,
        message=_("Only a member of the organisation can change its application's documents."),
    )


def _check_editable(application: Application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise DomainError(_("Documents can be changed only in a draft or during corrections."))


def add_document(
    *,
    application: Application,
    user,
    document_type: DocumentType,
    uploaded: UploadedFile,
    item: ApplicationItem | None = None,
    replaces: Document | None = None,
) -> Document:
    """Store a file and its record together: if either fails, neither remains."""
    _check_member(application, user)
    checked = check_upload(uploaded)
    if document_type.per_item and item is None:
        raise DomainError(_("Choose the product or service this document is for."), field="item")
    if item is not None and item.application_id != application.pk:
        raise DomainError(_("This product or service belongs to another application."))
    original_name = display_name(uploaded.name, checked)
    document = None
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            _check_editable(locked)
            if replaces is not None:
                replaces = Document.objects.select_for_update().get(pk=replaces.pk)
                if replaces.application_id != locked.pk or not replaces.is_current:
                    raise DomainError(
                        _("Only a current document of this application can be replaced.")
                    )
            _check_not_duplicate(locked, checked.sha256, replaces)
            _check_total_size(locked, checked.size, replaces)
            document = Document(
                application=locked,
                item=item if not replaces else replaces.item,
                document_type=document_type if not replaces else replaces.document_type,
                original_name=original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=user,
            )
            try:
                store(document.file, f"upload{checked.suffix}", uploaded)
            except StorageFailure as error:
                raise DomainError(
                    _(
                        "The file could not be saved: the document store is unavailable at the "
                        "moment. Nothing has been saved; please try again in a few minutes."
                    ),
                    field="file",
                ) from error
            document.save()
            if replaces is not None:
                replaces.superseded_by = document
                replaces.save(update_fields=["superseded_by"])
            audit.record(
                actor=user,
                action="document.replaced" if replaces else "document.added",
                application=locked,
                message=original_name,
                document=document.pk,
                sha256=checked.sha256,
            )
    except Exception:
        if document is not None:
            discard(document.file.storage, document.file.name)
        raise
    return document


@transaction.atomic
def remove_document(*, document: Document, user) -> None:
    application = Application.objects.select_for_update().get(pk=document.application_id)
    _check_member(application, user)
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(
            _("After submission a document cannot be removed, only replaced by a new version.")
        )
    name, storage_name = document.original_name, document.file.name
    storage = document.file.storage
    document.delete()
    audit.record(actor=user, action="document.removed", application=application, message=name)
    transaction.on_commit(lambda: discard(storage, storage_name))
