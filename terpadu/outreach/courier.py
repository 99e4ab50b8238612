"""The courier partner adapter (Gancang Aron): create a delivery job, check status webhooks.

The wire protocol (documented in docs/outreach.md; ``courier_sim.py`` implements the
partner side):

- ``POST {base_url}/v1/jobs`` with ``Authorization: Bearer <api_key>`` and
  ``Idempotency-Key: <key>``; JSON body ``{reference, pickup, dropoff, fare, note,
  callback_url}``. ``201`` (or ``200`` for a repeated key) ``{"job_id", "status"}``.
  A repeated request with the same key never creates a second job.
- Status webhooks ``POST <callback_url>``: JSON ``{event_id, job_id, reference, status,
  at, recipient_name?, otp?, photo_b64?, reason?}`` where status is ``accepted``,
  ``picked_up``, ``delivered`` or ``failed``; headers ``X-Courier-Timestamp`` (Unix
  seconds) and ``X-Courier-Signature: sha256=<hex HMAC-SHA256(secret, ts + "." + body)>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADER = "X-Courier-Signature"
TIMESTAMP_HEADER = "X-Courier-Timestamp"
MAX_SKEW_SECONDS = 300


class CourierError(Exception):
    """The courier did not take the job; ``retryable`` when trying again may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class JobRequest:
    idempotency_key: str
    pickup_name: str
    pickup_address: str
    dropoff_name: str
    dropoff_address: str
    dropoff_phone: str
    fare: int
    note: str
    callback_url: str

    def body(self) -> dict[str, Any]:
        return {
            "reference": self.idempotency_key,
            "pickup": {"name": self.pickup_name, "address": self.pickup_address},
            "dropoff": {
                "name": self.dropoff_name,
                "address": self.dropoff_address,
                "phone": self.dropoff_phone,
            },
            "fare": self.fare,
            "note": self.note,
            "callback_url": self.callback_url,
        }


def create_job(*, base_url: str, api_key: str, request: JobRequest, timeout: float) -> str:
    """Ask the courier for a job; returns its id. Raises :class:`CourierError`."""
    data = json.dumps(request.body()).encode()
    http = urllib.request.Request(  # noqa: S310 - the partner URL is configured by an admin
        base_url.rstrip("/") + "/v1/jobs",
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {api_key}",
            "Idempotency-Key": request.idempotency_key,
        },
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as response:  # noqa: S310
            body = json.loads(response.read(64_000) or b"{}")
    except urllib.error.HTTPError as exc:
        retryable = exc.code >= 500 or exc.code in (408, 429)
        raise CourierError(f"HTTP {exc.code}", retryable=retryable) from None
    except TimeoutError:
        raise CourierError("kurir tidak menjawab (timeout)", retryable=True) from None
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        raise CourierError(f"tidak dapat menghubungi kurir: {exc}"[:200], retryable=True) from None
    except json.JSONDecodeError:
        raise CourierError("jawaban kurir bukan JSON", retryable=True) from None
    job_id = str(body.get("job_id") or "") if isinstance(body, dict) else ""
    if not job_id:
        raise CourierError("jawaban kurir tanpa job_id", retryable=True)
    return job_id[:64]


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify_signature(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None
) -> bool:
    """Whether a webhook carries a valid, fresh signature of exactly this body."""
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    signature = headers.get(SIGNATURE_HEADER, "")
    if not secret or not timestamp.isdigit() or not signature:
        return False
    current = now if now is not None else time.time()
    if abs(current - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def backoff_seconds(attempt: int, *, base: float = 15.0, cap: float = 1800.0) -> float:
    """Wait before attempt ``attempt + 1``: 15 s, 45 s, 2¼ min, … capped at 30 min."""
    return float(min(cap, base * (3 ** max(0, attempt - 1))))
