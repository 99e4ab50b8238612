"""Registers the complaints demo step (imported by terpadu.demo.build.discover_steps)."""

from __future__ import annotations

from typing import Any

from terpadu.demo.build import StepContext, register_step


def complaints_step(ctx: StepContext) -> dict[str, Any]:
    from terpadu.complaints.demo import load_demo_complaints

    return load_demo_complaints(ctx.regency, seed=ctx.seed)


def complaints_clear(ctx: StepContext) -> dict[str, Any]:
    from terpadu.complaints.demo import clear_demo_complaints

    return {"deleted": clear_demo_complaints(ctx.regency)}


register_step("complaints", complaints_step, clear=complaints_clear)
