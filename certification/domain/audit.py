from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import stages
from ..audit_chain import GENESIS, event_hash
from ..models import Application, AuditEvent, Certificate
from .errors import DomainError

# pg_advisory_xact_lock key of the chain's head ("audit" in ASCII): whoever holds it until their
# transaction ends is the only one appending, so no two events read the same last hash.
CHAIN_LOCK = 0x6175646974


class TransitionNotAllowed(DomainError):
    """A status change that the table of stages does not allow."""


def _chain_head() -> str:
    """The last event's hash, once this transaction is the chain's only writer.

    PostgreSQL: an advisory lock held to the end of the transaction (a writer that rolls back
    leaves the head as it was). SQLite: the IMMEDIATE transaction already holds the database's
    write lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
    return last or GENESIS


def record(
    *,
    actor,
    action: str,
    application: Application | None = None,
    certificate: Certificate | None = None,
    from_state: str = "",
    to_state: str = "",
    message: str = "",
    **details: Any,
) -> AuditEvent:
    with transaction.atomic():
        event = AuditEvent(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=action,
            application=application,
            certificate=certificate,
            from_state=from_state,
            to_state=to_state,
            message=str(message),
            details=details,
            previous_hash=_chain_head(),
            timestamp=timezone.now(),
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
    return event


def record_many(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append many events at once, chained in the order given (a bulk import: one event per
    row). Each dict holds record()'s keyword arguments. One insert, the same chain."""
    with transaction.atomic():
        previous = _chain_head()
        now = timezone.now()
        rows = []
        for fields in events:
            fields = dict(fields)
            actor = fields.pop("actor", None)
            event = AuditEvent(
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=fields.pop("action"),
                application=fields.pop("application", None),
                certificate=fields.pop("certificate", None),
                from_state=fields.pop("from_state", ""),
                to_state=fields.pop("to_state", ""),
                message=str(fields.pop("message", "")),
                details=fields,
                previous_hash=previous,
                timestamp=now,
            )
            event.hash = previous = event_hash(event)
            rows.append(event)
        return AuditEvent.objects.bulk_create(rows)


def change_status(*, application: Application, actor, action: str, to_state: str, **details):
    """Move the application to a new status and write it to the audit log.

    Only a change certification/stages.py allows: any other is a mistake in the caller. The
    status it changes from is the stored one (the caller's copy may be older).
    """
    from_state = Application.objects.values_list("status", flat=True).get(pk=application.pk)
    if not stages.allowed(from_state, to_state):
        raise TransitionNotAllowed(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {"from": stages.stage(from_state).label, "to": stages.stage(to_state).label}
        )
    application.status = to_state
    application.save(update_fields=["status"])
    record(
        actor=actor,
        action=action,
        application=application,
        from_state=from_state,
        to_state=to_state,
        **details,
    )


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    problem: str


@dataclass(frozen=True)
class ChainState:
    events: int
    last_id: int | None
    last_hash: str
    broken: ChainBreak | None


def verify_chain(*, chunk_size: int = 2000) -> ChainState:
    """Walk the whole log in order and say where the first link is broken, if anywhere.

    Removing the newest events leaves an intact shorter chain: the count and last hash are
    returned so that they can be kept elsewhere and compared.
    """
    previous_id, previous = None, GENESIS
    count = 0
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=chunk_size):
        count += 1
        if event.previous_hash != previous:
            before = f"event #{previous_id}" if previous_id else "the start of the log"
            return ChainState(
                count,
                event.pk,
                event.hash,
                ChainBreak(
                    event.pk,
                    f"it names {event.previous_hash} as the previous hash, but {before} "
                    f"has {previous}: an event between them was removed or inserted, or "
                    f"{before} was changed together with its hash",
                ),
            )
        computed = event_hash(event)
        if computed != event.hash:
            return ChainState(
                count,
                event.pk,
                event.hash,
                ChainBreak(
                    event.pk,
                    f"its fields no longer match its hash (stored {event.hash}, "
                    f"recomputed {computed}): the event was changed after it was written",
                ),
            )
        previous_id, previous = event.pk, event.hash
    return ChainState(count, previous_id, previous, None)
