"""The database's own refusal to change append-only tables (triggers made by migration 0009).

Lifting them takes DDL, the table owner's right: nothing the application does through its
queries can get past them, and the audit log's hash chain shows what was changed while they
were lifted. Only throwaway data is ever taken back this way (the test database between
transactional tests, the benchmark's generated registry), never in production.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

# Table → its triggers, per database (names as migration 0009 creates them).
GUARDED_TABLES = ("certification_auditevent", "certification_certificatestatuschange")
POSTGRESQL_TRIGGERS = ("append_only_row", "append_only_truncate")


def sqlite_triggers(table: str) -> tuple[str, str]:
    return (f"{table}_no_update", f"{table}_no_delete")


def missing_guards(connection) -> list[str]:
    """Triggers that should refuse changes but are absent or disabled, as 'table: trigger'."""
    missing = []
    with connection.cursor() as cursor:
        for table in GUARDED_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass "
                    "AND NOT tgisinternal AND tgenabled IN ('O', 'A')",
                    [table],
                )
                expected = POSTGRESQL_TRIGGERS
            else:
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                    [table],
                )
                expected = sqlite_triggers(table)
            present = {row[0] for row in cursor.fetchall()}
            missing += [f"{table}: {name}" for name in expected if name not in present]
    return missing


@contextmanager
def lifted(connection, tables: tuple[str, ...] = GUARDED_TABLES) -> Iterator[None]:
    """Take the triggers off `tables` for the block, and put them back after it, by DDL."""
    if settings.PRODUCTION:
        raise RuntimeError("Append-only guards are never lifted in production.")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:
                # ALTER TABLE refuses while foreign-key checks of this transaction's inserts
                # are pending: run them now, then defer again as Django's constraints are.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                disable = ", ".join(f"DISABLE TRIGGER {name}" for name in POSTGRESQL_TRIGGERS)
                cursor.execute(f"ALTER TABLE {table} {disable}")  # noqa: S608 (our constants)
            try:
                yield
            except BaseException:
                # Inside a transaction its rollback takes the DISABLE back too (DDL is
                # transactional here); outside one, put the triggers back now.
                if not connection.in_atomic_block:
                    _enable(cursor, tables)
                raise
            _enable(cursor, tables)
            return
        cursor.execute("SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        saved = [(name, sql) for name, sql, table in cursor.fetchall() if table in tables]
        for name, _sql in saved:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        except BaseException:
            if not connection.in_atomic_block:
                _recreate(cursor, saved)
            raise
        _recreate(cursor, saved)


def _enable(cursor, tables: tuple[str, ...]) -> None:
    for table in tables:
        enable = ", ".join(f"ENABLE TRIGGER {name}" for name in POSTGRESQL_TRIGGERS)
        cursor.execute(f"ALTER TABLE {table} {enable}")  # noqa: S608 (our constants)


def _recreate(cursor, saved: list[tuple[str, str]]) -> None:
    for _name, sql in saved:
        cursor.execute(sql)
