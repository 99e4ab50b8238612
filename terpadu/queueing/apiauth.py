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
from terpadu.core.apiauth import Session

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


def token_user(raw: str) -> User | None:
    """The active user of an unrevoked token (the same rule as the foundation's lookup)."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN_USER, [digest])
        row = cursor.fetchone()
    if row is None:
        return None
    values = [bool(v) if b else v for v, b in zip(row, _BOOLEAN, strict=True)]
    return User.from_db(connection.alias, _FIELDS, values)


class QueueBearer(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(token)
        if user is not None:
            request.user = user
        return user


AUTH = [QueueBearer(), Session()]
