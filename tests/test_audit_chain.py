"""Each audit event carries the hash of the one before; `audit_verify` finds the first broken
link after someone with the tables' owner rights lifted the triggers and edited the log."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from certification.audit_chain import GENESIS
from certification.db_guards import lifted
from certification.domain import audit
from certification.models import AuditEvent

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    officer = factories.officer()
    return [
        audit.record(actor=officer, action="test.first", message="pierwszy", n=1),
        audit.record(actor=officer, action="test.second", message="drugi", items=["a", "b"]),
        audit.record(actor=None, action="test.third", message="trzeci", score=7.5),
    ]


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def tamper(sql: str, params=()) -> None:
    """What an intruder with DDL rights does: take the trigger off, edit, put it back."""
    with transaction.atomic(), lifted(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_event_names_the_hash_of_the_one_before(log):
    first, second, third = (AuditEvent.objects.get(pk=e.pk) for e in log)

    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_verify_passes_on_an_untouched_log(log):
    assert f"Audit log intact: 3 events, the last #{log[-1].pk}" in verify()


def test_verify_names_the_event_whose_fields_were_changed(log):
    tamper("UPDATE certification_auditevent SET message = %s WHERE id = %s", ["xx", log[1].pk])

    with pytest.raises(CommandError) as error:
        verify()
    assert f"broken at event #{log[1].pk}: its fields no longer match its hash" in str(error.value)
    assert error.value.returncode != 0


def test_verify_names_the_event_after_a_removed_one(log):
    tamper("DELETE FROM certification_auditevent WHERE id = %s", [log[1].pk])

    with pytest.raises(CommandError) as error:
        verify()
    message = str(error.value)
    assert f"broken at event #{log[2].pk}: it names {log[1].hash}" in message
    assert f"event #{log[0].pk} has {log[0].hash}" in message


def test_verify_names_a_changed_event_even_when_its_hash_was_recomputed(log):
    """Forging one event's hash moves the break to the next link, which still names it."""
    forged = AuditEvent.objects.get(pk=log[0].pk)
    forged.message = "podmieniony"
    from certification.audit_chain import event_hash

    tamper(
        "UPDATE certification_auditevent SET message = %s, hash = %s WHERE id = %s",
        [forged.message, event_hash(forged), forged.pk],
    )

    with pytest.raises(CommandError, match=f"broken at event #{log[1].pk}: it names"):
        verify()


def test_verify_fails_while_the_guards_are_lifted(log):
    with (
        transaction.atomic(),
        lifted(connection),
        pytest.raises(CommandError, match="no longer refuses changes") as error,
    ):
        verify()
    assert "certification_auditevent" in str(error.value)
    assert "certification_certificatestatuschange" in str(error.value)


def test_an_event_rolled_back_leaves_the_chain_whole(log):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(actor=None, action="test.rolled_back")
        raise RuntimeError

    after = audit.record(actor=None, action="test.after")

    assert after.previous_hash == log[-1].hash
    assert "Audit log intact: 4 events" in verify()


def test_an_empty_log_is_intact():
    assert "Audit log intact: 0 events." in verify()
