"""The `terpadu` console script as a user types it: clear one-line errors, a clean deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TERPADU = str(Path(sys.executable).parent / "terpadu")


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "DJANGO_SETTINGS_MODULE",
            "TERPADU_DEMO",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    base.update({"TERPADU_VAR_DIR": str(tmp_path / "var"), **env})
    return subprocess.run(
        [TERPADU, *args], capture_output=True, text=True, env=base, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/x", "scheme 'mysql' is not supported"),
        ("postgres://user@localhost:5432/", "has no database name"),
        ("postgres://user@localhost:port/db", "port that is not a number"),
        ("sqlite:///", "needs a file path"),
        ("   ", "DATABASE_URL is empty"),
    ],
)
def test_bad_database_url_is_one_clear_line(url, message, tmp_path):  # type: ignore[no-untyped-def]
    result = run(["check"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_clear_line(tmp_path):  # type: ignore[no-untyped-def]
    result = run(["migrate"], tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/terpadu")
    assert result.returncode == 2
    assert result.stderr.startswith("terpadu: ")
    assert "Traceback" not in result.stderr


def test_help_lists_terpadu_commands(tmp_path):  # type: ignore[no-untyped-def]
    result = run(["help"], tmp_path)
    assert result.returncode == 0
    for command in ("demo", "serve", "worker", "workdays", "nik", "audit", "migrate"):
        assert command in result.stdout


def test_deploy_check_is_clean_under_production_settings(tmp_path):  # type: ignore[no-untyped-def]
    result = run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY="x" * 20 + "-production-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        ALLOWED_HOSTS="mpp.banyuwangikab.go.id",
        DEBUG="0",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_audit_verify_on_a_fresh_database(tmp_path):  # type: ignore[no-untyped-def]
    assert run(["migrate", "-v0"], tmp_path).returncode == 0
    result = run(["audit", "verify"], tmp_path)
    assert result.returncode == 0
    assert "rantai audit utuh" in result.stdout
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o777 == 0o600
