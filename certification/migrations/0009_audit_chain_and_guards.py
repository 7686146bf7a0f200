# The audit log holds in court: every event carries the hash of the one before it (existing
# events are hashed here, in their order), and the database itself refuses UPDATE, DELETE and
# TRUNCATE on the audit log and on the certificate status history (triggers; SQLite has no
# TRUNCATE). Whoever owns the tables can still lift the triggers: the hash chain shows what
# changed meanwhile (`manage.py audit_verify`).

import datetime
import hashlib
import json

import django.utils.timezone
from django.db import migrations, models

GUARDED = ("certification_auditevent", "certification_certificatestatuschange")
MESSAGES = {
    "certification_auditevent": "The audit log is append-only.",
    "certification_certificatestatuschange": "The certificate history is append-only.",
}

# A frozen copy of certification.audit_chain as it was when this migration was written (the
# format is part of the record and must stay the same anyway).
GENESIS = "0" * 64


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _hash(event):
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
        "details": _plain(json.loads(json.dumps(event.details))),
        "previous": event.previous_hash,
    }
    payload = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def hash_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("certification", "AuditEvent")
    previous, batch = GENESIS, []
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=1000):
        event.previous_hash = previous
        event.hash = previous = _hash(event)
        batch.append(event)
        if len(batch) == 1000:
            AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["previous_hash", "hash"])


POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION append_only_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% (% refused on %)', TG_ARGV[0], TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$
"""


def create_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FUNCTION, None)  # its % are no placeholders
    for table in GUARDED:
        message = MESSAGES[table]
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER append_only_row BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION append_only_refuse('{message}')"
            )
            schema_editor.execute(
                f"CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse('{message}')"
            )
        elif vendor == "sqlite":
            for operation in ("update", "delete"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{operation} BEFORE {operation.upper()} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                )
        else:
            raise NotImplementedError(f"No append-only guards for {vendor}.")


def drop_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in GUARDED:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS append_only_row ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS append_only_truncate ON {table}")
        elif vendor == "sqlite":
            for operation in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS append_only_refuse()")


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0008_certificate_holder_identity"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="timestamp",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(hash_existing_events, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RunPython(create_guards, drop_guards),
    ]
