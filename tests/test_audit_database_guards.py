"""The database itself refuses to change or remove audit events and certificate history.

Not only the ORM's managers: raw SQL, the base manager, QuerySet._raw_delete (what Django's
delete collector runs); TRUNCATE in test_audit_truncate_postgres.py.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from certification.domain import audit
from certification.models import AuditEvent, CertificateStatusChange

from . import factories, stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return audit.record(actor=factories.officer(), action="test.event", message="zapis")


@pytest.fixture
def change():
    certificate = stages.certified(stages.cast())
    return CertificateStatusChange.objects.filter(certificate=certificate).get()


def refused(sql: str, params=(), message: str = "append-only"):
    with (
        pytest.raises(IntegrityError, match=message),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def test_raw_sql_cannot_change_or_delete_an_audit_event(event):
    refused("UPDATE certification_auditevent SET message = %s", ["zmieniony"])
    refused("DELETE FROM certification_auditevent WHERE id = %s", [event.pk])
    refused("DELETE FROM certification_auditevent")

    assert AuditEvent.objects.get(pk=event.pk).message == "zapis"


def test_base_manager_and_raw_delete_cannot_change_the_audit_log(event):
    with pytest.raises(IntegrityError, match="audit log is append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).update(message="zmieniony")
    with pytest.raises(IntegrityError, match="audit log is append-only"), transaction.atomic():
        queryset = AuditEvent._base_manager.filter(pk=event.pk)
        queryset._raw_delete(queryset.db)

    assert AuditEvent.objects.get(pk=event.pk).message == "zapis"


def test_raw_sql_cannot_change_or_delete_certificate_history(change):
    table = "certification_certificatestatuschange"
    refused(f"UPDATE {table} SET reason = %s", ["inny"], "certificate history is append-only")
    refused(f"DELETE FROM {table}", (), "certificate history is append-only")
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset = CertificateStatusChange._base_manager.filter(pk=change.pk)
        queryset._raw_delete(queryset.db)

    assert CertificateStatusChange.objects.filter(pk=change.pk).exists()


def test_a_user_with_audit_events_cannot_be_deleted(event):
    """The log never loses rows to a cascade: the actor's row stays as long as the log does."""
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        event.actor.delete()
    assert AuditEvent.objects.filter(pk=event.pk, actor=event.actor).exists()


def test_the_guards_are_in_place():
    """Made by the migrations, and back after every transactional test's flush lifted them."""
    from certification.db_guards import missing_guards

    assert missing_guards(connection) == []
