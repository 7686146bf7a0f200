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
    """Take the triggers off `tables` for the block, and put them back after it, by DDL.

    Inside a transaction, its rollback puts them back too (DDL is transactional in both
    databases); outside one they are put back whenever the block ends with an error too.
    """
    if settings.PRODUCTION:
        raise RuntimeError("Append-only guards are never lifted in production.")
    restore = _disable_postgresql if connection.vendor == "postgresql" else _drop_sqlite
    put_back = restore(connection, tables)
    try:
        yield
    except Exception:
        if not connection.in_atomic_block:
            put_back()
        raise
    put_back()


def _run(connection, statements: list[str]) -> None:
    # A cursor of its own each time: the block may have closed the connection (a test flush).
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _disable_postgresql(connection, tables: tuple[str, ...]):
    def alter(action: str) -> list[str]:
        triggers = ", ".join(f"{action} TRIGGER {name}" for name in POSTGRESQL_TRIGGERS)
        return [f"ALTER TABLE {table} {triggers}" for table in tables]

    _run_altering(connection, alter("DISABLE"))
    return lambda: _run_altering(connection, alter("ENABLE"))


def _run_altering(connection, statements: list[str]) -> None:
    if connection.in_atomic_block:
        # ALTER TABLE refuses while foreign-key checks of this transaction's writes are
        # pending: run them now, then defer again as Django's constraints are.
        statements = ["SET CONSTRAINTS ALL IMMEDIATE", "SET CONSTRAINTS ALL DEFERRED", *statements]
    _run(connection, statements)


def _drop_sqlite(connection, tables: tuple[str, ...]):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        saved = [(name, sql) for name, sql, table in cursor.fetchall() if table in tables]
    _run(connection, [f'DROP TRIGGER "{name}"' for name, _sql in saved])
    return lambda: _run(connection, [sql for _name, sql in saved])
