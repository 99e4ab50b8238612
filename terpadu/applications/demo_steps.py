"""Registers the applications with the demo build (imported by terpadu.demo.build.discover_steps)."""

from __future__ import annotations

from typing import Any

import terpadu.demo.users  # noqa: F401  (registers the "users" step first: assignments need officers)
from terpadu.demo.build import StepContext, register_step


def applications_step(ctx: StepContext) -> dict[str, Any]:
    from terpadu.applications.demo import load_demo_applications

    count = max(300, min(6000, ctx.people // 8)) if ctx.people else 300
    return load_demo_applications(ctx.regency, seed=ctx.seed, count=count, progress=ctx.progress)


def clear_applications(ctx: StepContext) -> dict[str, Any]:
    from terpadu.applications.demo import clear_demo_applications

    return {"deleted": clear_demo_applications(ctx.regency)}


register_step("applications", applications_step, clear=clear_applications)
