"""Private documents on a real S3 server (radosgw): no public URL, only the checked view.

radosgw checks signatures and expiry as AWS does (moto and s3rver do not), so these tests are
what proves the bucket and URLs are as private as the settings claim.
"""

import datetime
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import botocore.auth
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from certification.models import AuditEvent

from . import factories
from .web import login

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our test URL
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def signed_at(monkeypatch, seconds_ago: int, name: str) -> str:
    """The storage's own presigned URL, as if it had been issued `seconds_ago`."""
    issued = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=seconds_ago)
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda: issued)
    url = default_storage.url(name)
    monkeypatch.undo()
    return url


@pytest.fixture
def stored(s3_media):
    user = factories.applicant()
    draft = factories.draft_application(user=user)
    document = draft.documents.get(original_name="statute.pdf")
    return user, document


def test_documents_are_stored_in_the_bucket_under_a_generated_name(stored, s3_media):
    _, document = stored
    key = f"{s3_media.prefix}/{document.file.name}"
    assert key in s3_media.stored()
    assert "statute" not in key
    body = s3_media.client.get_object(Bucket=s3_media.bucket, Key=key)["Body"].read()
    assert body == document.file.open("rb").read()
    assert body.startswith(b"%PDF-")


def test_unsigned_get_of_a_document_is_refused(stored, s3_media):
    _, document = stored
    endpoint = s3_media.options["endpoint_url"]
    status, body = http_get(f"{endpoint}/{s3_media.bucket}/{s3_media.prefix}/{document.file.name}")
    assert status == 403
    assert b"AccessDenied" in body
    status, _ = http_get(f"{endpoint}/{s3_media.bucket}?list-type=2")
    assert status == 403


def test_presigned_url_is_short_lived_and_works_before_it_expires(stored, monkeypatch):
    _, document = stored
    url = default_storage.url(document.file.name)
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["X-Amz-Expires"] == "60"
    assert "X-Amz-Signature" in query
    status, body = http_get(url)
    assert status == 200
    assert body.startswith(b"%PDF-")
    # Issued 50 s ago: 10 s of life left.
    assert http_get(signed_at(monkeypatch, 50, document.file.name))[0] == 200


def test_expired_presigned_url_is_refused(stored, monkeypatch):
    _, document = stored
    status, body = http_get(signed_at(monkeypatch, 61, document.file.name))
    assert status == 403
    assert b"AccessDenied" in body or b"RequestExpired" in body


def test_altered_presigned_url_is_refused(stored):
    _, document = stored
    url = default_storage.url(document.file.name)
    signature = dict(parse_qsl(urlsplit(url).query))["X-Amz-Signature"]
    flipped = ("1" if signature[0] == "0" else "0") + signature[1:]
    assert flipped != signature
    assert http_get(with_query(url, **{"X-Amz-Signature": flipped}))[0] == 403
    assert http_get(with_query(url, **{"X-Amz-Expires": "604800"}))[0] == 403
    other = factories.draft_application().documents.first()
    assert http_get(url.replace(document.file.name, other.file.name))[0] == 403


def test_download_view_streams_from_s3_after_the_permission_check(client, stored):
    user, document = stored
    url = reverse("document_download", args=[document.pk])
    login(client, factories.applicant())
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()

    login(client, user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="statute.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    event = AuditEvent.objects.get(action="document.downloaded")
    assert (event.actor, event.details["document"]) == (user, document.pk)


def test_download_of_a_document_missing_from_the_bucket_answers_404(client, stored, s3_media):
    user, document = stored
    s3_media.client.delete_object(
        Bucket=s3_media.bucket, Key=f"{s3_media.prefix}/{document.file.name}"
    )
    response = login(client, user).get(reverse("document_download", args=[document.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()
