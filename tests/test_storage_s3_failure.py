"""When the document store fails during an upload, the user is told so and nothing half-saved
remains: no document row without its object, no object left behind for a row that was not saved.

Run against the real radosgw (a missing bucket, a wrong secret, a storage that stored the file
before the database failed) and against a dead and a stuck address (server down, timeout).
"""

import socket

import pytest
from django.urls import reverse

from certification.domain import documents
from certification.domain.errors import DomainError
from certification.models import AuditEvent, Document, DocumentType

from . import factories
from .conftest import s3_test_options
from .web import login

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

MESSAGE = (
    "The file could not be saved: the document store is unavailable at the moment. "
    "Nothing has been saved; please try again in a few minutes."
)


def use_storage(settings, **options):
    """Point the default storage at the test server with some options changed."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_test_options(**options),
        },
    }


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on leaving: connections are refused


@pytest.fixture
def stuck_server():
    """Accepts connections and never answers, like a server hanging under load."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def upload_statute(client, application):
    statute = DocumentType.objects.get(code="statute")
    slot = f"t{statute.pk}"
    response = client.post(
        reverse("application_documents", args=[application.pk]),
        {"slot": slot, f"{slot}-file": factories.pdf_upload("statut.pdf")},
    )
    return slot, response


def assert_upload_refused_with_message(client, s3_media):
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    slot, response = upload_statute(login(client, user), draft)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<p class="error-message" id="id_{slot}-file_error">{MESSAGE}</p>' in page
    assert f'<a href="#id_{slot}-file">' in page
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.added").exists()
    assert s3_media.stored() == []


def test_upload_while_server_down_shows_message_and_saves_nothing(
    client, settings, s3_media, closed_port
):
    use_storage(
        settings,
        location=s3_media.prefix,
        endpoint_url=f"http://127.0.0.1:{closed_port}",
    )
    assert_upload_refused_with_message(client, s3_media)


def test_upload_timing_out_shows_message_and_saves_nothing(
    client, settings, s3_media, stuck_server
):
    # Short timeouts keep the test quick; the defaults (5 s read, 2 attempts) act the same.
    use_storage(
        settings,
        location=s3_media.prefix,
        endpoint_url=f"http://127.0.0.1:{stuck_server}",
        read_timeout=0.3,
        max_attempts=1,
    )
    assert_upload_refused_with_message(client, s3_media)


def test_upload_to_a_missing_bucket_shows_message_and_saves_nothing(client, settings, s3_media):
    use_storage(settings, location=s3_media.prefix, bucket="zakup-no-such-bucket")
    assert_upload_refused_with_message(client, s3_media)


def test_upload_refused_by_the_server_shows_message_and_saves_nothing(client, settings, s3_media):
    use_storage(settings, location=s3_media.prefix, secret_key="not-the-secret")
    assert_upload_refused_with_message(client, s3_media)


def test_database_failure_after_upload_removes_the_stored_object(s3_media):
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    # The document row cannot refer to a type never saved: the database refuses it after the
    # file is in the bucket.
    unsaved_type = DocumentType(code="never-saved", name_pl="Nigdy nie zapisany")
    with pytest.raises(ValueError, match="unsaved related object"):
        documents.add_document(
            application=draft,
            user=user,
            document_type=unsaved_type,
            uploaded=factories.pdf_upload("statut.pdf"),
        )
    assert not Document.objects.exists()
    assert s3_media.stored() == []


def test_replacement_while_server_down_keeps_the_old_version_current(
    settings, s3_media, closed_port
):
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    old = documents.add_document(
        application=draft,
        user=user,
        document_type=DocumentType.objects.get(code="statute"),
        uploaded=factories.pdf_upload("statut.pdf"),
    )
    stored = s3_media.stored()
    assert stored == [f"{s3_media.prefix}/{old.file.name}"]

    use_storage(settings, location=s3_media.prefix, endpoint_url=f"http://127.0.0.1:{closed_port}")
    with pytest.raises(DomainError, match="document store is unavailable"):
        documents.add_document(
            application=draft,
            user=user,
            document_type=old.document_type,
            uploaded=factories.pdf_upload("statut-poprawiony.pdf"),
            replaces=old,
        )
    old.refresh_from_db()
    assert old.is_current
    assert list(draft.documents.all()) == [old]
    assert s3_media.stored() == stored


def test_download_while_server_down_returns_to_the_page_with_a_message(
    client, settings, s3_media, closed_port
):
    user = factories.applicant()
    draft = factories.draft_application(user=user)
    document = draft.documents.first()
    use_storage(settings, location=s3_media.prefix, endpoint_url=f"http://127.0.0.1:{closed_port}")
    page = reverse("application_documents", args=[draft.pk])
    response = login(client, user).get(
        reverse("document_download", args=[document.pk]), headers={"referer": page}, follow=True
    )
    assert response.redirect_chain == [(page, 302)]
    assert "the document store is unavailable at the moment" in response.content.decode()
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()
