"""Private files: served only through a permission check, and every access is audited."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404

from ..domain import audit
from ..permissions import documents_visible_to


@login_required
def document_download(request, pk: int):
    document = get_object_or_404(
        documents_visible_to(request.user).select_related("application"), pk=pk
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    # Recorded once the file is known to open, so a missing file leaves no false trace.
    audit.record(
        actor=request.user,
        action="document.downloaded",
        application=document.application,
        message=document.original_name,
        document=document.pk,
    )
    response["Cache-Control"] = "private, no-store"
    return response
