"""Bearer-token authentication for the queue API's hot endpoints, in one raw query.

The same rule as ``terpadu.core.apiauth`` (the SHA-256 of the token, not revoked,
an active user; else the browser's session), without building an ORM join per
request: on the issue/call hot path the foundation's lookup was about half of
the request's CPU (docs/queue.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import connection
from django.http import HttpRequest
from ninja.security import HttpBearer

from terpadu.accounts.models import User
from terpadu.catalog.models import Hall
from terpadu.core.apiauth import Session
from terpadu.queueing.access import (
    COUNTER_COLUMNS,
    CounterContext,
    counter_from_row,
    hall_from_row,
)
from terpadu.queueing.hotpath import fetchone

# What access checks and audit entries read (in model order, as ``from_db`` expects);
# the other fields load lazily if ever touched.
_WANTED = {
    "id",
    "username",
    "role",
    "region_id",
    "agency_id",
    "is_superuser",
    "is_staff",
    "is_active",
}
_COLUMNS = [f for f in User._meta.concrete_fields if f.attname in _WANTED]
_FIELDS = [f.attname for f in _COLUMNS]
_BOOLEAN = [f.get_internal_type() == "BooleanField" for f in _COLUMNS]
_TOKEN_USER = (
    f"SELECT {', '.join(f'u.{f.column}' for f in _COLUMNS)} "  # noqa: S608  (model columns)
    "FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id "
    "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
)


def _user(row: Any) -> User:
    values = [bool(v) if b else v for v, b in zip(row, _BOOLEAN, strict=True)]
    return User.from_db(connection.alias, _FIELDS, values)


def token_user(raw: str) -> User | None:
    """The active user of an unrevoked token (the same rule as the foundation's lookup)."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_USER, [digest])
        row = cursor.fetchone()
    return None if row is None else _user(row)


# The lean path (queueing/lean.py) reads the token's user and the counter or hall
# of the request in ONE statement: the same rule, one round trip fewer.
_N = len(_COLUMNS)
_TOKEN_COUNTER = (
    f"SELECT {', '.join(f'u.{f.column}' for f in _COLUMNS)}, {COUNTER_COLUMNS} "  # noqa: S608
    "FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id "
    "LEFT JOIN catalog_counter c ON c.id = %s "
    "LEFT JOIN catalog_hall h ON h.id = c.hall_id "
    "LEFT JOIN core_region r ON r.id = h.region_id "
    "LEFT JOIN queueing_counterstate s ON s.counter_id = c.id "
    "LEFT JOIN queueing_hallsettings hs ON hs.hall_id = c.hall_id "
    "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
)
_TOKEN_HALL = (
    f"SELECT {', '.join(f'u.{f.column}' for f in _COLUMNS)}, "  # noqa: S608
    "h.id, h.region_id, h.code, h.name, r.code "
    "FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id "
    "LEFT JOIN catalog_hall h ON h.id = %s "
    "LEFT JOIN core_region r ON r.id = h.region_id "
    "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
)


def _token_row(sql: str, key: int, raw: str) -> Any:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return fetchone(sql, [key, digest])


def token_user_and_counter(raw: str, counter_id: int) -> tuple[User | None, CounterContext | None]:
    """The token's user (None: unknown, revoked, inactive) and the counter (None: no such counter)."""
    row = _token_row(_TOKEN_COUNTER, counter_id, raw)
    if row is None:
        return None, None
    user = _user(row[:_N])
    return user, (None if row[_N] is None else counter_from_row(row[_N:]))


def token_user_and_hall(raw: str, hall_id: int) -> tuple[User | None, Hall | None]:
    row = _token_row(_TOKEN_HALL, hall_id, raw)
    if row is None:
        return None, None
    user = _user(row[:_N])
    return user, (None if row[_N] is None else hall_from_row(row[_N:]))


class QueueBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


AUTH = [QueueBearer(), Session()]
