"""Registers the gallery demo step (after outreach and CETAR: INSTALLED_APPS order)."""

from __future__ import annotations

from typing import Any

from terpadu.demo.build import StepContext, register_step


def gallery_step(ctx: StepContext) -> dict[str, Any]:
    from terpadu.gallery.demo import load_demo_gallery

    return load_demo_gallery(ctx.regency)


def gallery_clear(ctx: StepContext) -> dict[str, Any]:
    from terpadu.gallery.demo import clear_demo_gallery

    return {"deleted": clear_demo_gallery(ctx.regency)}


register_step("gallery", gallery_step, clear=gallery_clear)
