"""Find what each Terpadu app contributes: URLs, API routers and home-page cards.

An app opts in by having the module: ``urls.py`` (``urlpatterns``), ``api.py``
(``router``), ``home.py`` (``cards(user) -> list[Card]``). Shared files
(terpadu/urls.py, terpadu/api.py, accounts/home.py) never need editing to add an app.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def terpadu_apps() -> list[str]:
    return [cfg.name for cfg in apps.get_app_configs() if cfg.name.startswith("terpadu.")]


def app_modules(module: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield (app label, module) for every Terpadu app that has ``<app>.<module>``."""
    for name in terpadu_apps():
        spec = importlib.util.find_spec(f"{name}.{module}")
        if spec is not None:
            yield name.rsplit(".", 1)[1], importlib.import_module(f"{name}.{module}")
