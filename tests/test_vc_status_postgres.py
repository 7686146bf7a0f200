"""The credential status lists under concurrent status changes and readers (PostgreSQL)."""

import json
import threading

from django.db import connections, transaction
from django.test import Client

from certification.credentials import status_lists
from certification.domain import lifecycle
from certification.models import Certificate, StatusList

from . import factories, postgres
from .postgres import ROUNDS, THREAD_TIMEOUT, run_together, unexpected
from .vc import path_of

pytestmark = [*postgres.MARKS, __import__("pytest").mark.usefixtures("signing_key_in_tmp")]


def revoked_bits(client: Client) -> set[int]:
    response = client.get(path_of(status_lists.list_url("revocation", 0)))
    raw = status_lists.decode(json.loads(response.content)["credentialSubject"]["encodedList"])
    return {bit for bit in range(64) if status_lists.bit_of(raw, bit)}


def test_concurrency_revocations_in_one_list_all_show_and_each_raises_its_version():
    officer = factories.officer()
    client = Client()
    for _round in range(ROUNDS):
        certificates = [factories.certificate() for _ in range(3)]
        before = StatusList.objects.get(number=0).version
        revoked_bits(client)  # a cached copy exists before the race
        outcomes = run_together(
            *(
                lambda c=c: lifecycle.revoke_certificate(certificate=c, user=officer, reason="X.")
                for c in certificates
            ),
            lambda: revoked_bits(Client()),  # a reader in the middle of it
        )
        assert unexpected(outcomes) == []
        assert StatusList.objects.get(number=0).version == before + 3
        assert {c.status_list_index for c in certificates} <= revoked_bits(client)


def test_a_reader_sees_valid_until_the_revocation_commits_and_revoked_right_after():
    certificate = factories.certificate()
    officer = factories.officer()
    client = Client()
    revoking, may_commit = threading.Event(), threading.Event()

    def revoke_and_hold():
        try:
            with transaction.atomic():
                lifecycle.revoke_certificate(certificate=certificate, user=officer, reason="X.")
                revoking.set()
                assert may_commit.wait(THREAD_TIMEOUT)
        finally:
            connections.close_all()

    thread = threading.Thread(target=revoke_and_hold)
    thread.start()
    try:
        assert revoking.wait(THREAD_TIMEOUT)
        during = revoked_bits(client)  # not committed yet: cached under the old version
    finally:
        may_commit.set()
        thread.join(THREAD_TIMEOUT)
    after = revoked_bits(client)

    assert certificate.status_list_index not in during
    assert certificate.status_list_index in after
    assert Certificate.objects.get(pk=certificate.pk).status == "revoked"
