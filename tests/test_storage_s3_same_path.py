"""One code path for documents on local files and on S3.

These tests are not marked s3: they run on whatever storage the suite runs on — local files
by default, the test bucket under `make test-s3` (S3_BUCKET set) — and must pass on both.
"""

import hashlib

import pytest
from django.core.files.storage import default_storage

from certification.domain import documents
from certification.models import DocumentType

from . import factories

pytestmark = pytest.mark.django_db


def test_document_is_stored_read_back_and_removed(media_files, django_capture_on_commit_callbacks):
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    upload = factories.pdf_upload("Statut spółdzielni.pdf")
    document = documents.add_document(
        application=draft,
        user=user,
        document_type=DocumentType.objects.get(code="statute"),
        uploaded=upload,
    )
    assert media_files() == [document.file.name]
    assert document.file.name.startswith(f"applications/{draft.pk}/")
    assert document.file.name.endswith(".pdf") and "Statut" not in document.file.name
    with default_storage.open(document.file.name, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == document.sha256

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row has
        documents.remove_document(document=document, user=user)
    assert media_files() == []
    assert not default_storage.exists(document.file.name)
