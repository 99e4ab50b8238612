"""Warm a web process before it takes requests: views, templates, holiday tables.

``terpadu serve`` imports the WSGI application (``terpadu.wsgi``), which calls
:func:`warm`, before any worker takes requests: granian (the default) in every
worker process; gunicorn once in the master (``--preload``), forking warm workers.
Either way the URL configuration is resolved, the view modules imported, the
templates compiled in the cached loader and the national holiday tables computed.
Without it, the first request each worker answers after a start or a restart pays for
all of that — up to a second on a busy machine, which a citizen sees, and which
bench/applications.py saw as a tail of slow tracking requests (p95 0.95 s at
50 requests/s, 26 ms with the warm-up).

Nothing here touches the database: a connection opened before the fork would be
shared by every worker.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.template import engines
from django.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import get_resolver

from terpadu.core.workdays import cuti_bersama, local_today, national_holidays

log = logging.getLogger(__name__)


def _template_names(directory: Path) -> list[str]:
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.suffix in {".html", ".txt", ".xml", ".svg"} and path.is_file()
    )


def warm() -> dict[str, float | int]:
    """Resolve the URL configuration and compile the project's templates; returns counts."""
    started = time.perf_counter()
    resolver = get_resolver()
    patterns = len(resolver.reverse_dict)  # imports every urls.py and the views they name
    compiled = 0
    for engine in engines.all():
        backend = getattr(engine, "engine", None)
        if backend is None:
            continue
        for directory in backend.template_loaders[0].get_dirs() if backend.template_loaders else []:
            if "terpadu" not in str(directory):
                continue  # Django's and third-party templates: compiled when first used
            for name in _template_names(Path(directory)):
                try:
                    engine.get_template(name)
                except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                    continue
                compiled += 1
    # The national holiday tables (the holidays package computes the Islamic dates on
    # first use of a year: a tenth of a second or more per year and category).
    this_year = local_today().year
    for year in range(this_year - 1, this_year + 3):
        national_holidays(year)
        cuti_bersama(year)
    seconds = time.perf_counter() - started
    log.info("warm-up: %d url names, %d templates in %.2f s", patterns, compiled, seconds)
    return {"url_names": patterns, "templates": compiled, "seconds": round(seconds, 3)}
