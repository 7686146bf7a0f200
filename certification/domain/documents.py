"""Storing application documents: checked by content, hashed, never left half-saved."""

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ..choices import ApplicationStatus
from ..models import Application, ApplicationItem, Document, DocumentType
from . import audit
from .errors import DomainError

# Recognised from the first bytes of the file, never from its name.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}
EDITABLE_STATUSES = {ApplicationStatus.DRAFT, ApplicationStatus.CORRECTIONS}


def sniff_type(head: bytes) -> tuple[str, str] | None:
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


def _read_checked(uploaded: UploadedFile) -> tuple[str, str, str]:
    if uploaded.size == 0:
        raise DomainError(_("The file is empty."), field="file")
    if uploaded.size > settings.MAX_DOCUMENT_SIZE:
        raise DomainError(
            _("The file is too large: the limit is %(mb)d MB.")
            % {"mb": settings.MAX_DOCUMENT_SIZE // (1024 * 1024)},
            field="file",
        )
    uploaded.seek(0)
    kind = sniff_type(uploaded.read(16))
    if kind is None:
        raise DomainError(
            _("Only PDF, JPEG and PNG files are accepted; this file is none of them."),
            field="file",
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return kind[0], kind[1], digest.hexdigest()


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
    content_type, suffix, sha256 = _read_checked(uploaded)
    if document_type.per_item and item is None:
        raise DomainError(_("Choose the product or service this document is for."), field="item")
    if item is not None and item.application_id != application.pk:
        raise DomainError(_("This product or service belongs to another application."))
    original_name = (uploaded.name or "document")[-255:]
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
            elif Document.objects.filter(
                application=locked, sha256=sha256, superseded_by__isnull=True
            ).exists():
                raise DomainError(_("This very file is already attached to the application."))
            document = Document(
                application=locked,
                item=item if not replaces else replaces.item,
                document_type=document_type if not replaces else replaces.document_type,
                original_name=original_name,
                content_type=content_type,
                size=uploaded.size,
                sha256=sha256,
                uploaded_by=user,
            )
            document.file.save(f"upload{suffix}", uploaded, save=False)
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
                sha256=sha256,
            )
    except Exception:
        if document is not None and document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def remove_document(*, document: Document, user) -> None:
    application = Application.objects.select_for_update().get(pk=document.application_id)
    if application.status != ApplicationStatus.DRAFT:
        raise DomainError(
            _("After submission a document cannot be removed, only replaced by a new version.")
        )
    name, storage_name = document.original_name, document.file.name
    storage = document.file.storage
    document.delete()
    audit.record(actor=user, action="document.removed", application=application, message=name)
    transaction.on_commit(lambda: storage.delete(storage_name))
