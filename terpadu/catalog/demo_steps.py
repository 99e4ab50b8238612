"""Registers the catalogue with the demo build (imported by terpadu.demo.build.discover_steps)."""

from __future__ import annotations

from typing import Any

from terpadu.demo.build import StepContext, register_step


def catalog_step(ctx: StepContext) -> dict[str, Any]:
    from terpadu.catalog.demo import load_demo_catalog

    return load_demo_catalog(ctx.regency)


register_step("catalog", catalog_step)
