"""Private files: served only through a permission check, and every access is audited.

The file is streamed by the app from whichever storage holds it (local or S3), never handed
out as a storage URL: the bucket stays private, a link cannot be passed on, and the download
keeps our file name, type and no-store header.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from ..domain import audit
from ..domain.letters import file_name
from ..permissions import (
    documents_visible_to,
    letters_visible_to,
    reconsideration_attachments_visible_to,
)
from ..storage import STORAGE_ERRORS


def _serve(request, *, stored, application, details: dict):
    """Stream the file, audited as a download once it opens; a missing file answers 404."""
    try:
        response = FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=stored.original_name,
            content_type=stored.content_type,
        )
    except FileNotFoundError:
        raise Http404("The document is missing from storage.") from None
    except STORAGE_ERRORS:
        messages.error(
            request,
            _(
                "The document cannot be downloaded: the document store is unavailable at the "
                "moment. Please try again in a few minutes."
            ),
        )
        return _back(request)
    # Recorded once the file is known to open, so a missing file leaves no false trace.
    audit.record(
        actor=request.user,
        action="document.downloaded",
        application=application,
        message=stored.original_name,
        **details,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request, pk: int):
    document = get_object_or_404(
        documents_visible_to(request.user).select_related("application"), pk=pk
    )
    return _serve(
        request, stored=document, application=document.application, details={"document": pk}
    )


@login_required
def reconsideration_attachment_download(request, pk: int):
    """A file the applicant attached to a reconsideration request: private like a document."""
    attachment = get_object_or_404(
        reconsideration_attachments_visible_to(request.user).select_related("request__application"),
        pk=pk,
    )
    return _serve(
        request,
        stored=attachment,
        application=attachment.request.application,
        details={"reconsideration_attachment": pk},
    )


@login_required
def letter_download(request, pk: int):
    """A decision letter: to the organisation's members and the application file's staff."""
    letter = get_object_or_404(
        letters_visible_to(request.user).select_related("application"), pk=pk
    )
    try:
        response = FileResponse(
            letter.pdf.open("rb"),
            as_attachment=True,
            filename=file_name(letter),
            content_type="application/pdf",
        )
    except FileNotFoundError:
        raise Http404("The letter is missing from storage.") from None
    except STORAGE_ERRORS:
        messages.error(
            request,
            _(
                "The letter cannot be downloaded: the document store is unavailable at the "
                "moment. Please try again in a few minutes."
            ),
        )
        return _back(request)
    audit.record(
        actor=request.user,
        action="letter.downloaded",
        application=letter.application,
        message=file_name(letter),
        letter=letter.pk,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _back(request):
    """To the page the link was on, if it is one of ours; else the dashboard."""
    referer = request.headers.get("referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(referer)
    return redirect("dashboard")
