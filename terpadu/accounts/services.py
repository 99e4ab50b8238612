"""Writes of the accounts app: users, login throttling, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from terpadu.accounts.models import ApiToken, LoginFailure, Role, User
from terpadu.core.audit import audit_record
from terpadu.core.models import Agency, Region


def login_is_throttled(*, username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(created_at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    return (
        recent.filter(username=username.lower()[:150]).count() >= limit
        or recent.filter(address=address).count() >= limit * 4
    )


def login_failure_record(*, username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], address=address[:45])


def login_failures_clear(*, username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()[:150]).delete()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    region: Region | None,
    agency: Agency | None = None,
    first_name: str = "",
    last_name: str = "",
    actor: Any = None,
) -> User:
    if role not in Role.values:
        raise ValueError(f"unknown role {role}")
    user = User(
        username=username,
        role=role,
        region=region,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMIN,
        is_superuser=False,
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor or "system",
        action="user.create",
        record=user,
        region_code=region.code if region else "",
        summary={"role": role, "agency": agency.code if agency else None},
    )
    return user


def api_token_create(*, user: User, name: str) -> str:
    """Create a token and return its clear value (shown once)."""
    raw = "tpd_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, key_hash=hashlib.sha256(raw.encode()).hexdigest())
    return raw


def api_token_user(raw: str) -> User | None:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    token = (
        ApiToken.objects.select_related("user", "user__region")
        .filter(key_hash=digest, revoked_at=None)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user
