"""PostgreSQL refuses TRUNCATE of the audit log and the certificate history, directly or by
CASCADE from a table they refer to."""

import pytest
from django.db import IntegrityError, connection, transaction

from certification.domain import audit
from certification.models import AuditEvent, CertificateStatusChange

from . import factories, postgres, stages

# Committed rows, truncated from a transaction of its own as an intruder's session would
# (in the inserting transaction PostgreSQL refuses for another reason: pending FK checks).
pytestmark = postgres.MARKS


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE certification_auditevent",
        # CASCADE: webhook deliveries refer to it, so PostgreSQL itself refuses it without.
        "TRUNCATE certification_certificatestatuschange CASCADE",
        "TRUNCATE certification_application CASCADE",
        "TRUNCATE certification_user CASCADE",
    ],
)
def test_truncate_is_refused(sql):
    event = audit.record(actor=factories.officer(), action="test.event")
    certificate = stages.certified(stages.cast())

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert CertificateStatusChange.objects.filter(certificate=certificate).count() == 1
