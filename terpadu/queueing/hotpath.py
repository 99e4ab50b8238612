"""The queue's hot path in raw SQL: issue a ticket, call the next one.

Why raw SQL (docs/queue.md has the measurements): Python is most of the
server's CPU, so each request should do as few statements and as little ORM
work as possible.

PostgreSQL — each operation is ONE statement in autocommit (no BEGIN/COMMIT
round trips), atomic on its own:

* issue: ``INSERT INTO groupday … ON CONFLICT (group_id, day) DO UPDATE SET
  last_number = last_number + 1 RETURNING last_number`` chained (CTE) into the
  ticket ``INSERT`` and its event ``INSERT``. The group-day row lock makes
  numbers contiguous; a failed insert rolls the number back with it.
* call next: a compare-and-swap on the counter's state row (``calls = %s``,
  status open) chained into ``UPDATE ticket … WHERE id = (SELECT id … WHERE
  status = 'waiting' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)``. Two
  counters calling at once lock different rows; a double-click on one counter
  finds ``calls`` changed and does nothing.

SQLite — one writer at a time anyway, so each operation is a tiny
``BEGIN IMMEDIATE`` transaction of the same statements. SQLite's busy handler
sleeps and retries (unfair; seconds-long waits were measured under four
gunicorn workers), so queue writers first take a process-shared ``flock``
(plus a thread lock): the kernel wakes waiters in turn, no one sleeps on the
busy handler.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, transaction


class CounterBusy(Exception):
    """The counter is not open, or its state changed since it was read (a double-click)."""


@dataclass(frozen=True)
class IssuedTicket:
    id: int
    letter: str
    number: int
    token: str
    day: dt.date


@dataclass(frozen=True)
class CalledTicket:
    id: int
    letter: str
    number: int
    token: str
    priority: bool


@dataclass(frozen=True)
class CallResult:
    called: CalledTicket | None
    finished_id: int | None

    def as_json(self, *, counter_number: int) -> dict[str, Any]:
        """The call-next answer, the same from the API and from the lean path."""
        called = self.called
        return {
            "called": None
            if called is None
            else {
                "id": called.id,
                "label": f"{called.letter}-{called.number:03d}",
                "token": called.token,
                "priority": called.priority,
            },
            "finished_id": self.finished_id,
            "counter_number": counter_number,
        }


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def new_token() -> str:
    return secrets.token_urlsafe(12)


# --- SQLite: one queue writer at a time, woken by the kernel -----------------

_thread_lock = threading.Lock()
_lock_file: TextIO | None = None


def _lock_path() -> Path:
    return Path(settings.VAR_DIR) / "queue-write.lock"


def _flock_file() -> TextIO:
    global _lock_file
    if _lock_file is None:
        path = _lock_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        _lock_file = path.open("a")
    return _lock_file


@contextmanager
def write_transaction() -> Iterator[None]:
    """A write transaction; on SQLite serialised by a fair lock before ``BEGIN IMMEDIATE``.

    Inside an outer transaction the lock is not taken: the outer transaction
    already holds SQLite's write lock, and waiting for the flock while holding
    it could deadlock with a process that holds the flock.
    """
    if is_postgres() or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    with _thread_lock:
        handle = _flock_file()
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            with transaction.atomic():
                yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def db_datetime(value: dt.datetime) -> Any:
    """PostgreSQL takes the aware datetime; SQLite stores Django's naive-UTC text."""
    return value if is_postgres() else connection.ops.adapt_datetimefield_value(value)


def db_date(value: dt.date) -> Any:
    return value if is_postgres() else connection.ops.adapt_datefield_value(value)


# --- raw DB-API cursors -----------------------------------------------------------
#
# Django's cursor wrapper costs tens of microseconds per statement (placeholder
# conversion, error wrapping, signals); the hot path's statements are fixed strings
# with bound values, so they run on the DB-API connection under Django's. The
# connection's life cycle (health check, reconnect, closing after errors) stays
# Django's: ``raw_cursor`` goes through it before each operation.

_NAMED = re.compile(r"%\((\w+)\)s")


@lru_cache(maxsize=64)
def _sqlite_sql(sql: str) -> str:
    """``%(name)s`` → ``:name`` and ``%s`` → ``?`` (what Django's SQLite wrapper does per call)."""
    return _NAMED.sub(r":\1", sql).replace("%s", "?")


# PostgreSQL: Django's psycopg cursors bind values on the client and send the query as
# text, so the server plans every statement again (1-3 ms for the call-next and token
# statements on these machines). The hot path uses a server-binding ``psycopg.Cursor``
# instead and prepares its few fixed statements once per connection (``prepare=True``):
# the token lookup went from 1.45 to 0.59 ms. The connection's automatic preparation
# stays off for everything else (Django's cursors never prepare).
_NEVER_AUTOMATIC = 2**31 - 1


def raw_cursor() -> Any:
    """A DB-API cursor on Django's connection (health-checked and connected as Django does)."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    conn: Any = connection.connection
    if connection.vendor != "postgresql":
        return conn.cursor()
    import psycopg

    if conn.prepare_threshold is None:  # psycopg ignores prepare=True while this is None
        conn.prepare_threshold = _NEVER_AUTOMATIC
    return psycopg.Cursor(conn)


def _run(cursor: Any, sql: str, params: Any) -> None:
    if is_postgres():
        cursor.execute(sql, params, prepare=True)
    else:
        cursor.execute(_sqlite_sql(sql), params)


def fetchone(sql: str, params: Any) -> Any:
    """The first row of a statement on the raw cursor (``sql`` in Django's ``%s`` style, a
    fixed string; prepared on PostgreSQL)."""
    cursor = raw_cursor()
    try:
        _run(cursor, sql, params)
        return cursor.fetchone()
    finally:
        cursor.close()


def fetchall(sql: str, params: Any) -> list[Any]:
    """All rows of a read on the raw cursor (``sql`` in Django's ``%s`` style, a fixed string)."""
    cursor = raw_cursor()
    try:
        _run(cursor, sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


@contextmanager
def _sqlite_immediate() -> Iterator[Any]:
    """``BEGIN IMMEDIATE … COMMIT`` on the raw SQLite connection, behind the fair lock.

    Inside Django's own transaction (a service that issues a successor ticket, a
    test) Django's atomic block is used instead.
    """
    if connection.in_atomic_block:
        with write_transaction(), connection.cursor() as cursor:
            yield cursor.cursor  # the DB-API cursor under Django's wrapper
        return
    with _thread_lock:
        handle = _flock_file()
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            cursor = raw_cursor()
            cursor.execute("BEGIN IMMEDIATE")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --- issue a ticket ------------------------------------------------------------

_TICKET_COLUMNS = (
    "hall_id, group_id, letter, day, number, status, priority, priority_reason, source, "
    "service_id, token, issued_at, recall_count, transfer_reason, transferred_from_id, "
    "issued_by_id"
)
_TICKET_VALUES = (
    "g.hall_id, g.id, g.letter, %(day)s, n.last_number, 'waiting', %(priority)s, %(reason)s, "
    "%(source)s, CAST(%(service)s AS bigint), %(token)s, %(now)s, 0, %(transfer_reason)s, "
    "CAST(%(from_ticket)s AS bigint), CAST(%(actor)s AS bigint)"
)
_NEXT_NUMBER = """
INSERT INTO queueing_groupday (group_id, day, last_number)
SELECT id, %(day)s, 1 FROM catalog_countergroup WHERE id = %(group)s AND hall_id = %(hall)s
ON CONFLICT (group_id, day) DO UPDATE SET last_number = queueing_groupday.last_number + 1
RETURNING last_number
"""

PG_ISSUE = f"""
WITH n AS ({_NEXT_NUMBER}),
t AS (
  INSERT INTO queueing_ticket ({_TICKET_COLUMNS})
  SELECT {_TICKET_VALUES} FROM n, catalog_countergroup g WHERE g.id = %(group)s
  RETURNING id, hall_id, letter, number
),
e AS (
  INSERT INTO queueing_queueevent (hall_id, ticket_id, counter_id, actor_id, kind, at, data)
  SELECT hall_id, id, CAST(NULL AS bigint), CAST(%(actor)s AS bigint), %(kind)s, %(now)s,
         %(data)s::jsonb
  FROM t
)
SELECT id, letter, number FROM t
"""  # noqa: S608  (built from this module's constants only; values are bound parameters)

SQLITE_ISSUE = f"""
INSERT INTO queueing_ticket ({_TICKET_COLUMNS})
SELECT {_TICKET_VALUES} FROM (SELECT %(number)s AS last_number) AS n, catalog_countergroup g
WHERE g.id = %(group)s
RETURNING id, letter, number
"""  # noqa: S608

_EVENT_INSERT = (
    "INSERT INTO queueing_queueevent (hall_id, ticket_id, counter_id, actor_id, kind, at, data) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
)


def issue(
    *,
    hall_id: int,
    group_id: int,
    now: dt.datetime,
    day: dt.date,
    priority: bool = False,
    priority_reason: str = "",
    source: str,
    service_id: int | None = None,
    actor_id: int | None = None,
    from_ticket_id: int | None = None,
    transfer_reason: str = "",
    event_kind: str = "issued",
    event_data: str = "{}",
) -> IssuedTicket | None:
    """Give the group's next number today; ``None`` if the group is not in this hall."""
    params: dict[str, Any] = {
        "hall": hall_id,
        "group": group_id,
        "day": db_date(day),
        "now": db_datetime(now),
        "priority": priority,
        "reason": priority_reason,
        "source": source,
        "service": service_id,
        "token": new_token(),
        "actor": actor_id,
        "from_ticket": from_ticket_id,
        "transfer_reason": transfer_reason,
        "kind": event_kind,
        "data": event_data,
    }
    if is_postgres():
        row = fetchone(PG_ISSUE, params)
    else:
        with _sqlite_immediate() as cursor:
            cursor.execute(_sqlite_sql(_NEXT_NUMBER), params)
            got = cursor.fetchone()
            if got is None:
                return None
            params["number"] = got[0]
            cursor.execute(_sqlite_sql(SQLITE_ISSUE), params)
            row = cursor.fetchone()
            if row is not None:
                cursor.execute(
                    _sqlite_sql(_EVENT_INSERT),
                    [hall_id, row[0], None, actor_id, event_kind, params["now"], event_data],
                )
    if row is None:
        return None
    return IssuedTicket(id=row[0], letter=row[1], number=row[2], token=params["token"], day=day)


# --- call the next ticket --------------------------------------------------------

# The oldest waiting ticket of a group: the first entry of the partial "waiting" index
# (group_id, id). On PostgreSQL the group is written ``group_id = ANY(ARRAY[…])`` and
# ordered ``BY group_id, id``: only that index then gives the order, so the planner
# cannot take the primary key instead. With ``group_id = %s ORDER BY id`` it did, even
# with fresh statistics (it assumes waiting tickets are spread evenly through the ids;
# they are the newest), and walked every called and past ticket: 5,500 rows and 2-4 ms
# per call on the bench's hall, growing through the day; 0.1 ms with the index.
_PICK = (
    "SELECT id FROM queueing_ticket WHERE {group} AND {lane}status = 'waiting' "
    "ORDER BY group_id, id LIMIT 1{lock}"
)
_GROUP = {
    True: "group_id = ANY(ARRAY[%(group)s]::bigint[])",
    False: "group_id = %(group)s",
}


def _pick(prefer_priority: bool, *, postgres: bool) -> str:
    lock = " FOR UPDATE SKIP LOCKED" if postgres else ""
    fifo = _PICK.format(group=_GROUP[postgres], lane="", lock=lock)
    if not prefer_priority:
        return f"({fifo})"
    first = _PICK.format(group=_GROUP[postgres], lane="priority AND ", lock=lock)
    return f"COALESCE(({first}), ({fifo}))"


_FINISH_CURRENT = """
UPDATE queueing_ticket SET status = 'done', finished_at = %(now)s,
       served_at = COALESCE(served_at, called_at)
WHERE counter_id = %(counter)s AND status IN ('called', 'serving'){guard}
RETURNING id, hall_id
"""
_CALL = """
UPDATE queueing_ticket SET status = 'called', counter_id = %(counter)s,
       officer_id = CAST(%(officer)s AS bigint), called_at = %(now)s
WHERE id = {pick} AND status = 'waiting'{guard}
RETURNING id, hall_id, letter, number, token, priority
"""
_CAS = """
UPDATE queueing_counterstate SET calls = calls + 1, updated_at = %(now)s
WHERE counter_id = %(counter)s AND status = 'open' AND calls = %(calls)s
RETURNING calls
"""


def _pg_call_sql(prefer_priority: bool) -> str:
    guard = " AND EXISTS (SELECT 1 FROM st)"
    return f"""
WITH st AS ({_CAS}),
cur AS ({_FINISH_CURRENT.format(guard=guard)}),
nxt AS ({_CALL.format(pick=_pick(prefer_priority, postgres=True), guard=guard)}),
ev AS (
  INSERT INTO queueing_queueevent (hall_id, ticket_id, counter_id, actor_id, kind, at, data)
  SELECT hall_id, id, %(counter)s, CAST(%(officer)s AS bigint), 'finished', %(now)s,
         '{{}}'::jsonb
  FROM cur
  UNION ALL
  SELECT hall_id, id, %(counter)s, CAST(%(officer)s AS bigint), 'called', %(now)s, '{{}}'::jsonb
  FROM nxt
)
SELECT (SELECT count(*) FROM st), (SELECT min(id) FROM cur),
       nxt.id, nxt.letter, nxt.number, nxt.token, nxt.priority
FROM (SELECT 1) AS one LEFT JOIN nxt ON TRUE
"""  # noqa: S608


PG_CALL = {True: _pg_call_sql(True), False: _pg_call_sql(False)}
SQLITE_FINISH = _FINISH_CURRENT.format(guard="")
SQLITE_CALL = {
    prefer: _CALL.format(pick=_pick(prefer, postgres=False), guard="") for prefer in (True, False)
}


def prefer_priority(*, calls_before: int, priority_every: int) -> bool:
    """Does this call (the counter's ``calls_before + 1``-th) take the priority lane first?"""
    if priority_every <= 0:
        return False
    return (calls_before + 1) % priority_every == 0


def call_next(
    *,
    counter_id: int,
    group_id: int,
    officer_id: int | None,
    calls_before: int,
    priority_every: int,
    now: dt.datetime,
) -> CallResult:
    """Finish the counter's current ticket and call the next waiting one of its group.

    Raises :class:`CounterBusy` when the counter is not open or ``calls`` moved on.
    """
    prefer = prefer_priority(calls_before=calls_before, priority_every=priority_every)
    params = {
        "counter": counter_id,
        "group": group_id,
        "officer": officer_id,
        "calls": calls_before,
        "now": db_datetime(now),
    }
    if is_postgres():
        row = fetchone(PG_CALL[prefer], params)
        assert row is not None
        if not row[0]:
            raise CounterBusy
        called = None
        if row[2] is not None:
            called = CalledTicket(
                id=row[2], letter=row[3], number=row[4], token=row[5], priority=bool(row[6])
            )
        return CallResult(called=called, finished_id=row[1])
    with _sqlite_immediate() as cursor:
        cursor.execute(_sqlite_sql(_CAS), params)
        if cursor.fetchone() is None:
            raise CounterBusy
        cursor.execute(_sqlite_sql(SQLITE_FINISH), params)
        finished = cursor.fetchall()
        cursor.execute(_sqlite_sql(SQLITE_CALL[prefer]), params)
        got = cursor.fetchone()
        events = [
            [hall, ticket, counter_id, officer_id, "finished", params["now"], "{}"]
            for ticket, hall in finished
        ]
        if got is not None:
            events.append([got[1], got[0], counter_id, officer_id, "called", params["now"], "{}"])
        if events:
            cursor.executemany(_sqlite_sql(_EVENT_INSERT), events)
    called = None
    if got is not None:
        called = CalledTicket(
            id=got[0], letter=got[2], number=got[3], token=got[4], priority=bool(got[5])
        )
    return CallResult(called=called, finished_id=finished[0][0] if finished else None)
