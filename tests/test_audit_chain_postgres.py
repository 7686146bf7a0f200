"""Simultaneous writers of the audit log keep one chain: each waits for the chain's head."""

from django.db import transaction

from certification.domain import audit
from certification.models import AuditEvent

from . import factories, postgres

pytestmark = postgres.MARKS

WRITERS = 4


def write_two(actor, n: int):
    # Two events in one transaction: the head stays this writer's until it commits.
    with transaction.atomic():
        audit.record(actor=actor, action="test.race", message=f"{n}a")
        audit.record(actor=actor, action="test.race", message=f"{n}b")


def test_simultaneous_writers_keep_one_chain():
    officer = factories.officer()
    for round_ in range(postgres.ROUNDS):
        outcomes = postgres.run_together(
            *[lambda n=round_ * WRITERS + n: write_two(officer, n) for n in range(WRITERS)]
        )
        assert postgres.unexpected(outcomes) == []

    state = audit.verify_chain()
    assert state.broken is None
    assert state.events == AuditEvent.objects.count() == postgres.ROUNDS * WRITERS * 2
    # Each writer's two events are neighbours in the chain.
    messages = list(AuditEvent.objects.order_by("pk").values_list("message", flat=True))
    assert all(messages[i][:-1] == messages[i + 1][:-1] for i in range(0, len(messages), 2))
