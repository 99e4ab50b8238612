"""The few SQL fragments that differ between SQLite and PostgreSQL, and parameter adapters.

Local days are Asia/Jakarta (WIB, UTC+7 all year, no daylight saving), so on
SQLite ``date(ts, '+7 hours')`` is exact. SQLite stores aware datetimes as UTC
text (``YYYY-MM-DD HH:MM:SS[.ffffff]``) and dates as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

LOCAL_TZ = ZoneInfo("Asia/Jakarta")
UTC_OFFSET_HOURS = 7


def is_pg() -> bool:
    return connection.vendor == "postgresql"


def local_date(col: str) -> str:
    """The WIB calendar day of a timestamp column."""
    if is_pg():
        return f"CAST(({col}) AT TIME ZONE 'Asia/Jakarta' AS DATE)"
    return f"date({col}, '+{UTC_OFFSET_HOURS} hours')"


def seconds(start: str, end: str) -> str:
    """Whole seconds from ``start`` to ``end`` (an integer expression)."""
    if is_pg():
        return f"CAST(EXTRACT(EPOCH FROM (({end}) - ({start}))) AS BIGINT)"
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400.0) AS INTEGER)"


def clamp(expr: str, low: int, high: int) -> str:
    return f"(CASE WHEN ({expr}) < {low} THEN {low} WHEN ({expr}) > {high} THEN {high} ELSE ({expr}) END)"


def month_key(col: str) -> str:
    """``YYYY-MM`` of a date column."""
    if is_pg():
        return f"to_char({col}, 'YYYY-MM')"
    return f"substr({col}, 1, 7)"


def month_start(col: str) -> str:
    """The first day of the month of a date column."""
    if is_pg():
        return f"CAST(date_trunc('month', {col}) AS DATE)"
    return f"date({col}, 'start of month')"


def nik_district(col: str) -> str:
    """The kecamatan code ``PP.KK.CC`` from the first six digits of a NIK."""
    return f"(substr({col}, 1, 2) || '.' || substr({col}, 3, 2) || '.' || substr({col}, 5, 2))"


def p_date(value: date) -> Any:
    return value if connection.vendor == "postgresql" else value.isoformat()


def p_dt(value: datetime) -> Any:
    if is_pg():
        return value
    return connection.ops.adapt_datetimefield_value(value)


def day_start(day: date) -> datetime:
    """00:00 WIB of ``day`` (aware)."""
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


def window(first: date, last: date) -> tuple[Any, Any]:
    """The UTC half-open range ``[first 00:00 WIB, last+1 00:00 WIB)`` as query parameters."""
    return p_dt(day_start(first)), p_dt(day_start(last + timedelta(days=1)))


def in_list(values: list[str] | tuple[str, ...]) -> str:
    """A SQL list of string literals (values are workflow state keys we control, checked here)."""
    clean = []
    for value in values:
        if not value.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"unsafe state key {value!r}")
        clean.append(f"'{value}'")
    return "(" + ", ".join(clean or ["''"]) + ")"
