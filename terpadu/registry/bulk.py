"""Fast inserts for the registry's large tables (source records, persons, person links).

The ORM's ``bulk_create`` builds a model instance and compiles every value of
every row; for tens of thousands of rows that is most of a linkage run. Here
rows are plain tuples written with ``executemany`` on SQLite and ``COPY`` on
PostgreSQL (as the demo population does), inside the caller's transaction.
Values must already be database-ready: dates as ``date``, JSON as text. On
SQLite, ``date`` and ``datetime`` values are written by the adapters Django's
SQLite backend registers with :mod:`sqlite3` (``isoformat()``, and
``isoformat(" ")`` for a datetime): the same text the ORM writes.

:func:`sqlite_cache` gives a long bulk write (the demo build) a larger SQLite
page cache: with the default 2 MB, inserting hundreds of thousands of rows into
tables with several indexes spends most of its time re-reading index pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model

CHUNK = 10_000


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@contextmanager
def sqlite_cache(mebibytes: int = 256) -> Iterator[None]:
    """A page cache of ``mebibytes`` on the SQLite connection while the block runs.

    Nothing on PostgreSQL. The connection's own setting is restored afterwards
    (connections are kept open between requests).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{int(mebibytes) * 1024}")
    try:
        yield
    finally:
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {before}")


def read_rows(qs: Any, fields: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``qs.values_list(*fields)``, read on a plain cursor in chunks.

    No per-value converters: the driver already returns dates as ``date``
    (psycopg; Django's SQLite backend registers the converter for ``date``
    columns). Only for fields whose values need no model conversion (no JSON,
    no enums, no timezone-aware datetimes on SQLite).
    """
    sql, params = qs.values_list(*fields).query.sql_with_params()
    # A server-side cursor on PostgreSQL (as QuerySet.iterator uses), a plain one on SQLite.
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield from chunk


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
        db.executemany(sql, rows[start : start + CHUNK])
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
