"""API keys of Open311 clients: issued by an administrator, shown once, stored as a hash."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from terpadu.complaints.models import Open311Client
from terpadu.core.audit import audit_record
from terpadu.core.errors import DomainError, bilingual, field_error
from terpadu.core.models import Region


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def open311_client_issue(
    *, name: str, region: Region, actor: Any = None
) -> tuple[Open311Client, str]:
    """Create a client and return it with its key (the only time the key is visible)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            code="invalid",
            message=bilingual("Nama klien wajib diisi (≤ 100 huruf).", "Client name required."),
            errors=[field_error("name", "Nama klien wajib diisi.", "Client name required.")],
        )
    if Open311Client.objects.filter(name=name).exists():
        raise DomainError(
            code="duplicate",
            message=bilingual(f"Klien '{name}' sudah ada.", f"Client '{name}' exists."),
            errors=[field_error("name", "Nama sudah dipakai.", "Name already used.")],
        )
    key = "o311_" + secrets.token_urlsafe(24)
    client = Open311Client.objects.create(
        region=region,
        name=name,
        key_prefix=key[:8],
        key_hash=_hash(key),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor if getattr(actor, "pk", None) else "cli",
        action="open311.key_issue",
        record=client,
        summary={"name": name, "prefix": client.key_prefix},
    )
    return client, key


@transaction.atomic
def open311_client_revoke(*, name: str, actor: Any = None) -> Open311Client:
    client = Open311Client.objects.select_for_update().filter(name=name).first()
    if client is None:
        raise DomainError(
            code="not_found", message=bilingual("Klien tidak ada.", "No such client."), status=404
        )
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    audit_record(actor=actor or "cli", action="open311.key_revoke", record=client)
    return client


def open311_client_for_key(key: str) -> Open311Client | None:
    if not key or len(key) > 200:
        return None
    return (
        Open311Client.objects.select_related("region")
        .filter(key_hash=_hash(key), revoked_at__isnull=True)
        .first()
    )
