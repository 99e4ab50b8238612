"""A fresh PostgreSQL database for one benchmark run: created before it, dropped after it.

The scripts under ``bench/`` run as files, so their own directory is on ``sys.path``::

    from _pg import fresh_database

    with fresh_database(args.database_url, default_name="terpadu_x_bench") as url:
        ...  # migrate and measure against url
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


def admin(url: str, sql: str) -> None:
    """Run ``sql`` on the server's ``postgres`` database (autocommit)."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


@contextmanager
def fresh_database(url: str, *, default_name: str, suffix: str = "") -> Iterator[str]:
    """The URL of a new, empty database named after ``url`` (``_suffix`` appended)."""
    parts = urlsplit(url)
    name = (parts.path.lstrip("/") or default_name) + (f"_{suffix}" if suffix else "")
    admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
