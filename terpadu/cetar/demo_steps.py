"""Registers the CETAR demo step (after queue, applications, complaints and surveys)."""

from __future__ import annotations

from typing import Any

from terpadu.demo.build import StepContext, register_step


def cetar_step(ctx: StepContext) -> dict[str, Any]:
    from terpadu.cetar.demo import build_demo_facts

    return build_demo_facts(ctx.regency, seed=ctx.seed)


def cetar_clear(ctx: StepContext) -> dict[str, Any]:
    from terpadu.cetar.demo import clear_demo_facts

    return {"deleted": clear_demo_facts(ctx.regency)}


register_step("cetar", cetar_step, clear=cetar_clear)
