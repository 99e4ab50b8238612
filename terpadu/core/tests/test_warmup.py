"""The web process warm-up that ``terpadu serve`` runs in gunicorn's master before forking."""

from __future__ import annotations

from pathlib import Path

from django.db import connections

from terpadu.core.management.commands.serve import granian_argv, gunicorn_argv
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


def test_both_servers_start_from_the_warming_wsgi_module():
    # granian imports terpadu.wsgi in every worker before it takes requests; gunicorn
    # imports it once in the master (--preload) and forks warm workers.
    assert "terpadu.wsgi:application" in granian_argv("127.0.0.1:8000", 2, 1)
    gunicorn = gunicorn_argv("127.0.0.1:8000", 2)
    assert "terpadu.wsgi:application" in gunicorn
    assert "--preload" in gunicorn
    assert gunicorn[gunicorn.index("--workers") + 1] == "2"
