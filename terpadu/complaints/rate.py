"""Rate limits per address and per phone: a fixed-window counter in the database.

Keys are keyed hashes (HMAC with the site secret) so the table holds no address or
phone number in the clear. Checked and incremented inside the submission's
transaction: a rejected or failed submission leaves the counters as they were.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F

from terpadu.complaints.models import RateCounter
from terpadu.core.errors import DomainError, bilingual, field_error


@dataclass(frozen=True)
class Limit:
    kind: str  # "address", "phone", "client"
    value: str
    limit: int
    window_seconds: int
    field: str = "__all__"


def _key(kind: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def rate_check_and_count(limits: list[Limit], *, now: datetime) -> None:
    """Raise 429 if any limit is reached; otherwise count this submission against each."""
    rows = []
    for item in limits:
        if not item.value:
            continue
        key = _key(item.kind, item.value)
        start = _window_start(now, item.window_seconds)
        current = (
            RateCounter.objects.filter(key=key, window_start=start)
            .values_list("count", flat=True)
            .first()
        ) or 0
        if current >= item.limit:
            minutes = max(1, item.window_seconds // 60)
            raise DomainError(
                code="rate_limited",
                message=bilingual(
                    f"Terlalu banyak pengaduan dalam {minutes} menit terakhir. Coba lagi nanti.",
                    f"Too many complaints in the last {minutes} minutes. Please try later.",
                ),
                errors=[
                    field_error(
                        item.field,
                        "Batas jumlah pengaduan tercapai.",
                        "Submission limit reached.",
                    )
                ],
                status=429,
            )
        rows.append((key, start))
    for key, start in rows:
        counter, _created = RateCounter.objects.get_or_create(key=key, window_start=start)
        RateCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)


def rate_counters_prune(*, now: datetime, older_than: timedelta = timedelta(days=2)) -> int:
    deleted, _ = RateCounter.objects.filter(window_start__lt=now - older_than).delete()
    return deleted
