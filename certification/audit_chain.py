"""The audit log's hash chain: each event's SHA-256 covers its own fields and the hash of the
event before it, so changing, removing or inserting an event breaks the link after it.

The serialisation is part of the record: the hashes already stored were made with it (migration
0009 hashed the events that existed then with a frozen copy), so it must never change. A new
format would need a new version number in the payload and both kept.
"""

import datetime
import hashlib
import json

GENESIS = "0" * 64  # the "previous hash" of the first event


def _plain(value):
    """A JSON value as it reads back from either database (jsonb prints 1.0e20 as an integer)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def canonical(event) -> bytes:
    """The event's fields and the previous hash as one byte string; the row id is left out."""
    body = {
        "v": 1,
        "timestamp": event.timestamp.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "action": event.action,
        "application": event.application_id,
        "certificate": event.certificate_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "message": event.message,
        # As stored: keys become strings, tuples lists.
        "details": _plain(json.loads(json.dumps(event.details))),
        "previous": event.previous_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event) -> str:
    return hashlib.sha256(canonical(event)).hexdigest()
