"""The audit chain: every state change of a domain record appends an HMAC-linked entry.

``digest = HMAC-SHA256(audit_key, canonical(entry) + prev_digest)``. The key lives
outside the database (``var/audit_key`` or ``TERPADU_AUDIT_KEY``), so someone who
edits rows with SQL cannot recompute valid digests. ``verify_chain`` finds the
first entry that was altered, inserted or deleted; anchors written outside the
database (``var/audit_anchors.jsonl``) also catch a truncated tail.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from terpadu.core.models import AuditEntry

GENESIS = "0" * 64
PG_LOCK_KEY = 726_1001  # advisory lock id serialising appends on PostgreSQL


def _canonical(entry: AuditEntry) -> bytes:
    created = entry.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "seq": entry.seq,
        "created_at": created,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "record_type": entry.record_type,
        "record_id": str(entry.record_id),
        "region_code": entry.region_code,
        "summary": entry.summary,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_digest(entry: AuditEntry, prev_digest: str) -> str:
    key = settings.AUDIT_KEY.encode()
    return hmac.new(key, _canonical(entry) + prev_digest.encode(), hashlib.sha256).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)


def audit_record(
    *,
    actor: Any,
    action: str,
    record: models.Model | None = None,
    record_type: str = "",
    record_id: str | int = "",
    summary: dict[str, Any] | None = None,
    region_code: str = "",
) -> AuditEntry:
    """Append one entry; call inside the transaction that makes the change."""
    if record is not None:
        record_type = record_type or record._meta.label_lower
        record_id = record_id or str(record.pk)
        region = getattr(record, "region", None)
        region_code = region_code or (getattr(region, "code", "") if region is not None else "")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "digest").first()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        is_user = actor is not None and getattr(actor, "pk", None) is not None
        entry = AuditEntry(
            seq=seq,
            created_at=timezone.now(),
            actor_id=actor.pk if is_user else None,
            actor_label=(actor.get_username() if is_user else str(actor or "system"))[:150],
            action=action[:60],
            record_type=record_type[:60],
            record_id=str(record_id)[:64],
            region_code=region_code,
            summary=_jsonable(summary or {}),
            prev_digest=prev,
        )
        entry.digest = compute_digest(entry, prev)
        entry.save(force_insert=True)
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Summarise what changed: ``{"field": [old, new]}`` for fields whose value differs."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
        }


def _entries(batch: int) -> Iterator[AuditEntry]:
    last_seq = 0
    while True:
        rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq


def anchors_path() -> Path:
    return Path(
        getattr(settings, "AUDIT_ANCHOR_FILE", "") or Path(settings.VAR_DIR) / "audit_anchors.jsonl"
    )


def _chain_id() -> str:
    """The digest of entry #1 names the chain, so anchors of another database are not confused with ours."""
    first = AuditEntry.objects.filter(seq=1).values_list("digest", flat=True).first()
    return first or ""


def write_anchor() -> dict[str, Any] | None:
    """Record the chain's head outside the database (run by the worker's schedule)."""
    head = AuditEntry.objects.order_by("-seq").values("seq", "digest").first()
    if head is None:
        return None
    anchor = {
        "chain": _chain_id(),
        "seq": head["seq"],
        "digest": head["digest"],
        "at": timezone.now().isoformat(),
    }
    path = anchors_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(anchor) + "\n")
    return anchor


def _read_anchors() -> dict[int, str]:
    path = anchors_path()
    if not path.exists():
        return {}
    chain = _chain_id()
    anchors: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
            if item.get("chain") == chain:
                anchors[int(item["seq"])] = str(item["digest"])
        except (ValueError, KeyError, TypeError):
            continue
    return anchors


def verify_chain(*, batch: int = 5000) -> VerifyResult:
    """Walk the chain in order and return the first entry that does not hold."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    seen: dict[int, str] = {}
    anchors = _read_anchors()
    for entry in _entries(batch):
        if entry.seq != expected_seq:
            return VerifyResult(
                False, checked, expected_seq, f"entri #{expected_seq} hilang (dihapus)"
            )
        if entry.prev_digest != prev:
            return VerifyResult(
                False,
                checked,
                entry.seq,
                f"entri #{entry.seq} tidak menyambung ke entri sebelumnya",
            )
        if not hmac.compare_digest(entry.digest, compute_digest(entry, prev)):
            return VerifyResult(False, checked, entry.seq, f"isi entri #{entry.seq} diubah")
        if entry.seq in anchors:
            seen[entry.seq] = entry.digest
        prev = entry.digest
        expected_seq += 1
        checked += 1
    for seq, digest in sorted(anchors.items()):
        if seq not in seen:
            return VerifyResult(
                False, checked, seq, f"entri #{seq} yang tercatat di jangkar hilang"
            )
        if seen[seq] != digest:
            return VerifyResult(False, checked, seq, f"entri #{seq} berbeda dari jangkar")
    return VerifyResult(True, checked)
