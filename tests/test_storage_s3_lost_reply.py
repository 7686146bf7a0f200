"""The worst upload failure: the server stored the file but its reply never came back.

A relay in front of the real radosgw passes every request on and drops the reply to the upload
(PUT), so the app times out not knowing the object exists. The object must be removed again and
no document row written.
"""

import socket
import threading
from urllib.parse import urlsplit

import pytest

from certification.domain import documents
from certification.domain.errors import DomainError
from certification.models import Document, DocumentType

from . import factories
from .conftest import S3_TEST, s3_test_options

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


class ReplyDroppingRelay:
    """TCP relay to the S3 server; on a connection that sent a PUT, final replies are dropped."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.dropped: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            state = {"put": False}
            threading.Thread(target=self._pump, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self._back, args=(upstream, client, state), daemon=True).start()

    def _pump(self, source, sink, state):
        while chunk := self._recv(source):
            if chunk.startswith(b"PUT "):
                state["put"] = True
            sink.sendall(chunk)
        sink.close()

    def _back(self, source, sink, state):
        while chunk := self._recv(source):
            # The interim "100 Continue" goes through: it only tells the app to send the body.
            if state["put"] and not chunk.startswith(b"HTTP/1.1 100"):
                self.dropped.append(chunk)
            else:
                sink.sendall(chunk)
        sink.close()

    @staticmethod
    def _recv(sock) -> bytes:
        try:
            return sock.recv(65536)
        except OSError:
            return b""

    def close(self):
        self.listener.close()


@pytest.fixture
def relay():
    endpoint = urlsplit(S3_TEST["S3_TEST_ENDPOINT_URL"])
    relay = ReplyDroppingRelay((endpoint.hostname, endpoint.port))
    yield relay
    relay.close()


def test_upload_whose_reply_is_lost_leaves_no_object_and_no_row(settings, s3_media, relay):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_test_options(
                location=s3_media.prefix,
                endpoint_url=f"http://127.0.0.1:{relay.port}",
                read_timeout=0.5,
                max_attempts=1,
            ),
        },
    }
    draft = factories.draft_application(complete=False)
    with pytest.raises(DomainError, match="document store is unavailable"):
        documents.add_document(
            application=draft,
            user=draft.created_by,
            document_type=DocumentType.objects.get(code="statute"),
            uploaded=factories.pdf_upload("statut.pdf"),
        )
    # The server did take the file: its "200 OK" is what the relay kept from the app.
    assert relay.dropped and relay.dropped[0].startswith(b"HTTP/1.1 200")
    assert not Document.objects.exists()
    assert s3_media.stored() == []
