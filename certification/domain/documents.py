"""Storing application documents: checked by content, hashed, never left half-saved."""

import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..choices import ApplicationStatus
from ..models import Application, ApplicationItem, Document, DocumentType
from ..storage import StorageFailure, discard, store
from . import audit
from .document_age import check_issue_date
from .errors import DomainError
from .file_checks import check_upload, display_name, plain_name
from .membership import check_acts_for_applicant

EDITABLE_STATUSES = {ApplicationStatus.DRAFT, ApplicationStatus.CORRECTIONS}


def _check_not_duplicate(
    application: Application, sha256: str, item: ApplicationItem | None, replaces: Document | None
):
    """The same file twice in one place is a slip; in another place it is meant.

    One recommendation letter often speaks for several products: it counts for each product it
    is attached to. Within one product (or among the documents of the whole application) the
    same bytes again are a double click or the wrong file chosen, and are refused.
    """
    if replaces is not None and replaces.sha256 == sha256:
        raise DomainError(
            _("This is the very file already attached; choose the corrected version."),
            field="file",
        )
    same = Document.objects.filter(
        application=application, sha256=sha256, superseded_by__isnull=True, item=item
    )
    if same.exists():
        if item is not None:
            raise DomainError(
                _("This very file is already attached to “%(item)s”.") % {"item": item.name},
                field="file",
            )
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
    issue_date: datetime.date | None = None,
) -> Document:
    """Store a file and its record together: if either fails, neither remains."""
    return add_documents(
        application=application,
        user=user,
        document_type=document_type,
        uploads=[uploaded],
        item=item,
        replaces=replaces,
        issue_date=issue_date,
    )[0]


def _named(error: DomainError, uploaded: UploadedFile, count: int) -> DomainError:
    """With several files in one upload, the message says which file it is about, and that
    none of them was kept."""
    if count < 2:
        return error
    named = DomainError(
        ngettext(
            "“%(name)s”: %(error)s None of the %(count)d file chosen has been saved.",
            "“%(name)s”: %(error)s None of the %(count)d files chosen has been saved; choose "
            "them again without this one, or with a corrected version of it.",
            count,
        )
        % {"name": plain_name(uploaded.name), "error": error, "count": count},
        field=error.field,
    )
    return named


def add_documents(
    *,
    application: Application,
    user,
    document_type: DocumentType,
    uploads: list[UploadedFile],
    item: ApplicationItem | None = None,
    replaces: Document | None = None,
    issue_date: datetime.date | None = None,
) -> list[Document]:
    """Store several files of one type at once, all or none.

    One upload is one transaction: when any file is refused (its content, its size, a duplicate)
    or the store fails, none of the files is kept, neither its row nor its stored bytes, and the
    message names the file. Half an upload would leave the applicant guessing which files went
    in; all or none lets them fix the one file and send the same selection again.
    """
    _check_member(application, user)
    if not uploads:
        raise DomainError(_("Choose a file to upload."), field="file")
    if replaces is not None and len(uploads) > 1:
        raise DomainError(_("A document is replaced by one new file."), field="file")
    checked_files = []
    for uploaded in uploads:
        try:
            checked_files.append((uploaded, check_upload(uploaded)))
        except DomainError as error:
            raise _named(error, uploaded, len(uploads)) from error
    dated_type = replaces.document_type if replaces is not None else document_type
    check_issue_date(document_type=dated_type, issue_date=issue_date, today=timezone.localdate())
    if document_type.per_item and item is None and replaces is None:
        raise DomainError(_("Choose the product or service this document is for."), field="item")
    if item is not None and item.application_id != application.pk:
        raise DomainError(_("This product or service belongs to another application."))
    stored: list[Document] = []
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
            for uploaded, checked in checked_files:
                try:
                    _store_one(
                        stored,
                        locked,
                        user,
                        document_type,
                        item,
                        replaces,
                        issue_date,
                        uploaded,
                        checked,
                    )
                except DomainError as error:
                    raise _named(error, uploaded, len(uploads)) from error
    except Exception:
        for document in stored:
            discard(document.file.storage, document.file.name)
        raise
    return stored


def _store_one(
    stored, locked, user, document_type, item, replaces, issue_date, uploaded, checked
) -> None:
    """Store one file and its row; `stored` learns of the file as soon as it is in storage, so
    that a failure after it (of this file's row or of a later file) removes it again."""
    original_name = display_name(uploaded.name, checked)
    _check_not_duplicate(locked, checked.sha256, replaces.item if replaces else item, replaces)
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
        issue_date=issue_date,
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
    stored.append(document)
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
