"""radosgw killed (SIGKILL) in the middle of uploads, then restarted: no document row is
half-saved, and reconcile_storage removes exactly the objects the dead server kept, nothing a
row refers to. On the real radosgw of scripts/s3/start.

A relay in front of radosgw kills it at the worst moment: the object is stored, the answer is
not back yet. The app then cannot delete the object either (the server is dead), so it stays.
"""

import contextlib
import io
import os
import socket
import subprocess
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from certification.domain import documents
from certification.models import AuditEvent, Document, DocumentType

from . import factories
from .conftest import S3_TEST, s3_test_options
from .web import login

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts" / "s3"
GATEWAY_PIDFILE = (
    Path(os.environ.get("S3_CEPH_DIR", "/tmp/zakup-s3-ceph")) / "run" / "client.rgw.pid"
)
MESSAGE = (
    "The file could not be saved: the document store is unavailable at the moment. "
    "Nothing has been saved; please try again in a few minutes."
)
UPLOADS = 15
KILLED_AT = {4, 9, 13}  # the uploads whose object is stored when radosgw dies


def s3_script(*args: str) -> None:
    subprocess.run([SCRIPTS / args[0], *args[1:]], check=True, capture_output=True, timeout=120)


@pytest.fixture
def gateway(s3_media):
    """The test server's radosgw, which the test kills; running again afterwards, pass or fail.

    Depends on s3_media so that radosgw is back before that fixture clears the test's prefix.
    """
    if not GATEWAY_PIDFILE.exists():
        reason = "needs the S3 server of scripts/s3/start (make s3-up), to kill its radosgw"
        if os.environ.get("S3_REQUIRED") == "1":
            pytest.fail(f"S3_REQUIRED=1: {reason}", pytrace=False)
        pytest.skip(reason)
    yield
    s3_script("start")


class KillingRelay:
    """TCP relay to radosgw; kills it once it has stored the n-th object (n in `kill_at`), and
    drops that answer, so the app never learns the object exists."""

    def __init__(self, target: tuple[str, int], kill_at: set[int]):
        self.target, self.kill_at = target, kill_at
        self.stored = 0
        self.killed_keys: list[str] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=2)
                upstream.settimeout(None)
            except OSError:  # radosgw is dead: refuse, as the server itself would
                client.close()
                continue
            state = {"put": None}
            threading.Thread(target=self._pump, args=(client, upstream, state), daemon=True).start()
            threading.Thread(target=self._back, args=(upstream, client, state), daemon=True).start()

    def _pump(self, source, sink, state):
        while chunk := self._recv(source):
            if chunk.startswith(b"PUT "):
                state["put"] = unquote(chunk.split(b" ", 2)[1].decode())
            sink.sendall(chunk)
        self._close(sink)

    def _back(self, source, sink, state):
        while chunk := self._recv(source):
            # A "100 Continue" only tells the app to send the body; "200" means it is stored.
            if state["put"] and chunk.startswith(b"HTTP/1.1 200"):
                self.stored += 1
                path, state["put"] = state["put"], None
                if self.stored in self.kill_at:
                    s3_script("stop", "--gateway")
                    self.killed_keys.append(path.split("/", 2)[2])  # /bucket/key
                    break
            try:
                sink.sendall(chunk)
            except OSError:
                break
        self._close(sink)
        self._close(source)

    @staticmethod
    def _close(sock) -> None:
        # shutdown, not only close: another thread's recv on it must end, and the peer see it.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    @staticmethod
    def _recv(sock) -> bytes:
        try:
            return sock.recv(65536)
        except OSError:
            return b""

    def close(self):
        self.listener.close()


@pytest.fixture
def relay(gateway):
    endpoint = urlsplit(S3_TEST["S3_TEST_ENDPOINT_URL"])
    relay = KillingRelay((endpoint.hostname, endpoint.port), KILLED_AT)
    yield relay
    relay.close()


def reconcile(*args) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("reconcile_storage", *args, stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), error.returncode
    return out.getvalue(), 0


def test_radosgw_killed_mid_upload_leaves_no_row_and_reconcile_removes_its_objects(
    client, settings, s3_media, relay
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_test_options(
                location=s3_media.prefix, endpoint_url=f"http://127.0.0.1:{relay.port}"
            ),
        },
    }
    user = factories.applicant()
    draft = factories.draft_application(user=user, complete=False)
    login(client, user)
    slot = f"t{DocumentType.objects.get(code='statute').pk}"

    refused = []
    for n in range(1, UPLOADS + 1):
        response = client.post(
            reverse("application_documents", args=[draft.pk]),
            {"slot": slot, f"{slot}-file": factories.pdf_upload(f"statut-{n}.pdf")},
        )
        if response.status_code == 200:
            assert MESSAGE in response.content.decode()
            refused.append(n)
            s3_script("start")  # radosgw alone comes back, with what it had stored
        else:
            assert response.status_code == 302

    assert refused == sorted(KILLED_AT)
    assert len(relay.killed_keys) == len(KILLED_AT)
    rows = Document.objects.filter(application=draft)
    assert sorted(d.original_name for d in rows) == sorted(
        f"statut-{n}.pdf" for n in range(1, UPLOADS + 1) if n not in KILLED_AT
    )
    assert AuditEvent.objects.filter(action="document.added").count() == UPLOADS - len(KILLED_AT)
    referenced = sorted(f"{s3_media.prefix}/{d.file.name}" for d in rows)
    # Every row has its object; the dead server kept the objects of the uploads it took down.
    assert s3_media.stored() == sorted(referenced + relay.killed_keys)

    # Within the hour they might still be uploads in progress: left alone.
    output, status = reconcile()
    assert status == 0
    assert "0 unreferenced removed, 3 unreferenced younger than 1:00:00 kept" in output
    assert len(s3_media.stored()) == UPLOADS

    output, status = reconcile("--older-than", "0", "--dry-run")
    assert status == 0
    assert len(s3_media.stored()) == UPLOADS

    output, status = reconcile("--older-than", "0")
    assert status == 0
    assert "3 unreferenced removed" in output
    assert s3_media.stored() == referenced
    event = AuditEvent.objects.get(action="storage.reconciled")
    assert event.actor is None
    prefix = f"{s3_media.prefix}/"
    assert sorted(f"{prefix}{name}" for name in event.details["removed"]) == sorted(
        relay.killed_keys
    )
    assert all(d.file.read().startswith(b"%PDF") for d in rows)


def test_row_whose_object_is_gone_from_s3_is_reported(s3_media):
    draft = factories.draft_application(complete=False)
    lost = documents.add_document(
        application=draft,
        user=draft.created_by,
        document_type=DocumentType.objects.get(code="statute"),
        uploaded=factories.pdf_upload("statut.pdf"),
    )
    s3_media.client.delete_object(Bucket=s3_media.bucket, Key=f"{s3_media.prefix}/{lost.file.name}")

    output, status = reconcile()

    assert status == 1
    assert f"  MISSING {lost.file.name}: certification.Document {lost.pk} (file)" in output
    assert Document.objects.filter(pk=lost.pk, file=lost.file.name).exists()
