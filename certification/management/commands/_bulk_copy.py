"""Rows in bulk for the generator: PostgreSQL's COPY where there is one, bulk_create elsewhere.

The generator's rows are plain dicts (attribute name → value) with their primary keys given
beforehand (`Table.ids`), so that links between rows need no round trip to learn a key. COPY
is some ten times faster than INSERTs of model instances at a million rows. Not a command
(leading underscore).
"""

from enum import Enum

from django.db import connection, models
from django.utils import timezone


class Table:
    def __init__(self, model: type[models.Model]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.pk = model._meta.pk
        self.postgresql = connection.vendor == "postgresql"
        self._next_free: int | None = None  # elsewhere: keys counted from the largest one

    def ids(self, count: int) -> list[int]:
        """`count` new primary keys, taken from the table's sequence (nobody else gets them)."""
        if not count:
            return []
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.model._meta.db_table, self.pk.column, count],
                )
                return [row[0] for row in cursor.fetchall()]
        if self._next_free is None:
            last = self.model.objects.aggregate(m=models.Max("pk"))["m"] or 0
            self._next_free = last + 1
        first, self._next_free = self._next_free, self._next_free + count
        return list(range(first, first + count))

    def insert(self, rows: list[dict]) -> None:
        if not rows:
            return
        now = timezone.now()
        defaults = {}
        for field in self.fields:
            automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            defaults[field.attname] = now if automatic else field.get_default()
        if not self.postgresql:
            self.model.objects.bulk_create(
                [self.model(**(defaults | row)) for row in rows], batch_size=1000
            )
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        # What psycopg cannot write as it is: JSON, files (their names), choices (their values).
        prepared = [(f.attname, defaults[f.attname], _preparer(f)) for f in self.fields]
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(
                    [
                        prepare(row.get(name, default)) if prepare else row.get(name, default)
                        for name, default, prepare in prepared
                    ]
                )


def _preparer(field):
    if isinstance(field, models.JSONField | models.FileField):
        return lambda value: field.get_db_prep_save(value, connection)
    if field.choices:
        return lambda value: value.value if isinstance(value, Enum) else value
    return None
