"""The workflow's entry points for applications received on paper (certification.domain.paper).

Like workflows.services: one transaction each, the flow moved on in it.
"""

from typing import Any

from django.db import transaction

from certification.domain import documents, paper, review
from certification.models import Application, Document

from .flows import CertificationFlow
from .services import _run


def register_paper(**registration) -> Application:
    """An officer registers an application received on paper: submitted, and its process
    started, in one transaction (the formal review comes next, as for any application)."""
    with transaction.atomic():
        submitted = paper.register_paper_application(**registration)
        CertificationFlow.start.run(application=submitted)
    return submitted


def record_paper_corrections(
    *,
    task_pk: int,
    user,
    answer: str,
    replacements: list[tuple[Document, Any]],
    additions: list[tuple[Any, Any, Any]],
):
    """An officer records the corrections a PES without an account sent on paper: new versions
    of documents (document, file), new documents (type, item or None, file) and what the letter
    said; the application goes back to formal review. All or nothing."""

    def action(task, app):
        for document, uploaded in replacements:
            documents.add_document(
                application=app,
                user=user,
                document_type=document.document_type,
                uploaded=uploaded,
                replaces=document,
            )
        for document_type, item, uploaded in additions:
            documents.add_document(
                application=app,
                user=user,
                document_type=document_type,
                uploaded=uploaded,
                item=item,
            )
        return review.submit_corrections(application=app, user=user, answer=answer)

    return _run(task_pk=task_pk, user=user, action=action)
