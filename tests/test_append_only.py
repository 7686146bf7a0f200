"""The audit log and the certificate status history are written once and never changed."""

import pytest

from certification.domain import audit
from certification.models import AuditEvent, CertificateStatusChange

from . import factories, stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return audit.record(actor=factories.officer(), action="test.event", message="zapis")


def test_audit_event_cannot_be_changed_or_deleted(event):
    event.message = "zmieniony"
    with pytest.raises(PermissionError, match="audit log is append-only"):
        event.save()
    with pytest.raises(PermissionError, match="audit log is append-only"):
        event.delete()
    with pytest.raises(PermissionError, match="audit log is append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(message="zmieniony")
    with pytest.raises(PermissionError, match="audit log is append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).message == "zapis"


def test_certificate_history_cannot_be_changed_or_deleted():
    certificate = stages.certified(stages.cast())
    change = CertificateStatusChange.objects.filter(certificate=certificate).get()

    with pytest.raises(PermissionError, match="certificate history is append-only"):
        CertificateStatusChange.objects.filter(pk=change.pk).update(reason="x")
    with pytest.raises(PermissionError, match="certificate history is append-only"):
        change.delete()
    assert CertificateStatusChange.objects.filter(certificate=certificate).count() == 1
