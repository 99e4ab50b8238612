"""Registers the SKM demo step (imported by terpadu.demo.build.discover_steps)."""

from __future__ import annotations

from typing import Any

from terpadu.demo.build import StepContext, register_step


def surveys_step(ctx: StepContext) -> dict[str, Any]:
    from terpadu.surveys.demo import load_demo_surveys

    return load_demo_surveys(ctx.regency, seed=ctx.seed)


def surveys_clear(ctx: StepContext) -> dict[str, Any]:
    from terpadu.surveys.demo import clear_demo_surveys

    return {"deleted": clear_demo_surveys(ctx.regency)}


register_step("surveys", surveys_step, clear=surveys_clear)
