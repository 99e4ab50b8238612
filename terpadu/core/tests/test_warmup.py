"""The web process warm-up that ``terpadu serve`` runs in gunicorn's master before forking."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connections

from terpadu.core.management.commands.serve import Command
from terpadu.core.warmup import warm

ROOT = Path(__file__).resolve().parents[2]


def test_warm_compiles_every_project_template_without_touching_the_database():
    for conn in connections.all():
        conn.close()
    result = warm()
    project_templates = [
        p for p in ROOT.rglob("templates/**/*") if p.is_file() and p.suffix in {".html", ".txt"}
    ]
    assert result["templates"] == len(project_templates)
    assert result["url_names"] > 50
    # A connection opened here would be inherited by every forked worker.
    assert all(conn.connection is None for conn in connections.all())


def test_serve_preloads_the_application(monkeypatch: pytest.MonkeyPatch):
    seen: list[list[str]] = []
    monkeypatch.setattr("os.execv", lambda _exe, argv: seen.append(argv))
    Command().handle(bind="127.0.0.1:0", workers=2, no_collectstatic=True)
    assert "--preload" in seen[0]
    assert seen[0][seen[0].index("--workers") + 1] == "2"
