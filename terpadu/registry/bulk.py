"""Fast inserts for the registry's large tables (source records, persons, person links).

The ORM's ``bulk_create`` builds a model instance and compiles every value of
every row; for tens of thousands of rows that is most of a linkage run. Here
rows are plain tuples written with ``executemany`` on SQLite and ``COPY`` on
PostgreSQL (as the demo population does), inside the caller's transaction.
Values must already be database-ready: dates as ``date``, JSON as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Model

CHUNK = 10_000


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table; returns the count."""
    if not rows:
        return 0
    cols = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw: Any = cursor.cursor
            with raw.copy(f"COPY {_table(model)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return len(rows)
    marks = ", ".join("?" * len(columns))
    sql = f"INSERT INTO {_table(model)} ({cols}) VALUES ({marks})"  # noqa: S608
    connection.ensure_connection()
    db: Any = connection.connection
    for start in range(0, len(rows), CHUNK):
        db.executemany(
            sql, [tuple(_sqlite_value(v) for v in row) for row in rows[start : start + CHUNK]]
        )
    return len(rows)


def reserve_ids(model: type[Model], count: int) -> int:
    """The first of ``count`` new primary keys for rows inserted with explicit ids.

    Call inside a transaction. On PostgreSQL the sequence is advanced past them,
    so later ORM inserts never collide; SQLite takes MAX(id)+1 by itself.
    """
    table = _table(model)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            first = int(cursor.fetchone()[0]) + 1
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                [model._meta.db_table, first + count],
            )
            return first
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0]) + 1


def update_rows(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """``UPDATE … SET columns WHERE id = …`` for each row ``(*values, id)``."""
    if not rows:
        return 0
    sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    sql = f"UPDATE {_table(model)} SET {sets} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            cursor.executemany(sql, [tuple(r) for r in rows[start : start + CHUNK]])
    return len(rows)
