"""Parse ``DATABASE_URL`` into Django's DATABASES entry.

Only two schemes are supported: ``sqlite:///path`` (the embedded default) and
``postgres://user:pass@host:port/name`` (production). Anything else is a
:class:`ConfigError` with a one-line message, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(ValueError):
    """A setting from the environment is missing or malformed."""


SQLITE_INIT = (
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
    "PRAGMA busy_timeout=10000;"
)


def sqlite_config(path: str | Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 10,
            "init_command": SQLITE_INIT,
        },
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }


def parse(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Return a DATABASES['default'] dict for ``url``."""
    url = url.strip()
    if not url:
        raise ConfigError("DATABASE_URL is empty; unset it for SQLite or give postgres://...")
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an invalid IPv6 host
        raise ConfigError(f"DATABASE_URL is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw = unquote(url.split("://", 1)[1]) if "://" in url else ""
        if raw.startswith("/"):
            raw = raw[1:] or ""
        if not raw:
            raise ConfigError(
                "DATABASE_URL sqlite:/// needs a file path, e.g. sqlite:///var/terpadu.sqlite3"
            )
        path = Path(raw) if raw.startswith("/") else base_dir / raw
        return sqlite_config(path)
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(
                "DATABASE_URL has no database name, e.g. postgres://user@host:5432/terpadu"
            )
        try:
            port = parts.port
        except ValueError:
            raise ConfigError("DATABASE_URL has a port that is not a number") from None
        options: dict[str, Any] = {}
        query = parse_qs(parts.query)
        if "sslmode" in query:
            options["sslmode"] = query["sslmode"][0]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(
        f"DATABASE_URL scheme '{scheme or url}' is not supported; use sqlite:///path or postgres://..."
    )
