"""manage.py reconcile_storage on local files: stored files no record refers to go once they
are older than the threshold; records whose file is gone are reported, never changed.

The S3 side, with radosgw killed mid-upload, is tests/test_storage_s3_killed_mid_upload.py.
"""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from certification.domain import certificates, documents, storage_reconciliation
from certification.models import AuditEvent, Document, DocumentType

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(local_media) -> Path:
    return local_media


def age(path: Path, *, minutes: float) -> Path:
    """Make the file look written `minutes` ago, as the storage's own clock tells."""
    then = time.time() - minutes * 60
    os.utime(path, (then, then))
    return path


def leftover(media: Path, name: str, *, minutes: float) -> Path:
    """A file the storage kept from an upload whose record never came."""
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 left over")
    return age(path, minutes=minutes)


def document(application=None) -> Document:
    application = application or factories.draft_application(complete=False)
    return documents.add_document(
        application=application,
        user=application.created_by,
        document_type=DocumentType.objects.get(code="statute"),
        uploaded=factories.pdf_upload(f"statut-{Document.objects.count()}.pdf"),
    )


def reconcile(*args) -> tuple[str, int]:
    """Run the command as cron would: what it prints and its exit status."""
    out = io.StringIO()
    try:
        call_command("reconcile_storage", *args, stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), error.returncode
    return out.getvalue(), 0


def test_removes_old_unreferenced_files_and_keeps_young_and_referenced_ones(media):
    kept_document = document()
    certificate = certificates.attach_pdf(
        certificate=factories.certificate(), pdf=b"%PDF-1.4 certificate"
    )
    for referenced in (kept_document.file.name, certificate.pdf.name):
        age(media / referenced, minutes=600)
    old = leftover(media, f"applications/{kept_document.application_id}/old.pdf", minutes=61)
    young = leftover(media, f"applications/{kept_document.application_id}/young.pdf", minutes=59)

    output, status = reconcile()

    assert status == 0
    assert not old.exists()
    assert young.exists()
    assert (media / kept_document.file.name).read_bytes().startswith(b"%PDF")
    assert (media / certificate.pdf.name).read_bytes() == b"%PDF-1.4 certificate"
    old_name = f"applications/{kept_document.application_id}/old.pdf"
    assert f"  removed {old_name} (stored " in output
    assert (
        "reconcile_storage: 4 stored, 2 referred to by records; 1 unreferenced removed, "
        "1 unreferenced younger than 1:00:00 kept, 0 could not be removed; "
        "0 record(s) with a missing file."
    ) in output
    event = AuditEvent.objects.get(action="storage.reconciled")
    assert event.actor is None
    assert event.details["removed"] == [old_name]
    assert event.details["removed_count"] == 1


def test_older_than_sets_the_threshold(media):
    recent = leftover(media, "applications/1/recent.pdf", minutes=20)
    assert reconcile()[1] == 0
    assert recent.exists()
    output, status = reconcile("--older-than", "15m")
    assert status == 0
    assert not recent.exists()
    assert "1 unreferenced removed" in output


def test_bad_threshold_is_refused_with_a_message(media):
    with pytest.raises(CommandError, match="expected a duration like 3600, 90m, 1h or 2d"):
        call_command("reconcile_storage", "--older-than", "soon", stdout=io.StringIO())


def test_record_whose_file_is_missing_is_reported_and_left_alone(media):
    lost = document()
    (media / lost.file.name).unlink()

    output, status = reconcile()

    assert status == 1
    assert f"  MISSING {lost.file.name}: certification.Document {lost.pk} (file)" in output
    assert "1 record(s) refer to a missing file; see docs/operations.md." in output
    lost.refresh_from_db()
    assert lost.is_current
    assert Document.objects.filter(pk=lost.pk, file=lost.file.name).exists()
    assert not AuditEvent.objects.filter(action="storage.reconciled").exists()


def test_dry_run_reports_and_changes_nothing(media):
    lost = document()
    (media / lost.file.name).unlink()
    old = leftover(media, "applications/9/old.pdf", minutes=120)

    output, status = reconcile("--dry-run")

    assert status == 1
    assert "  would remove applications/9/old.pdf (stored " in output
    assert "reconcile_storage (dry run): 1 stored, 1 referred to by records; " in output
    assert "1 unreferenced to be removed" in output
    assert old.exists()
    assert Document.objects.filter(pk=lost.pk).exists()
    assert not AuditEvent.objects.filter(action="storage.reconciled").exists()


def test_file_a_record_refers_to_by_the_time_of_removal_is_kept(media):
    """An upload whose record commits after the listing: its file must survive."""
    first = document()
    slow = leftover(media, f"applications/{first.application_id}/slow.pdf", minutes=90)
    found = storage_reconciliation.survey()
    assert [obj.name for obj in found.orphans] == [f"applications/{first.application_id}/slow.pdf"]

    committed = Document.objects.create(
        application=first.application,
        document_type=first.document_type,
        file=found.orphans[0].name,
        original_name="powolny.pdf",
        content_type="application/pdf",
        size=slow.stat().st_size,
        sha256="0" * 64,
        uploaded_by=first.uploaded_by,
    )
    result = storage_reconciliation.remove_orphans(found=found)

    assert slow.exists()
    assert result.removed == []
    assert result.referenced_meanwhile == [committed.file.name]
