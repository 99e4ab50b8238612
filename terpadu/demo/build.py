"""Build the demo region: regions → calendars → agencies → population → extra steps.

``build_demo(people=20_000, seed=2017)`` is idempotent. A second call with the
same seed, people count and generator version finds the ``DemoBuild`` marker
and returns at once (``"reused": True``), running only extra steps registered
since. A different people count, a new seed or ``rebuild=True`` clears the
population (and everything the registered steps say to clear) and builds again.

Other apps add their own demo data with :func:`register_step`::

    from terpadu.demo.build import StepContext, register_step

    def create_demo_users(ctx: StepContext) -> dict | None:
        ...  # idempotent: update_or_create, never duplicate rows
        return {"users": 12}

    register_step("users", create_demo_users)

A step is a callable taking a :class:`StepContext` (or no argument) and
returning an optional dict of figures. Steps run after the population, in
registration order, inside no outer transaction. ``clear=`` names a callable
(same signature) that deletes the step's rows before a rebuild. Modules named
``demo_steps`` in installed apps, and ``terpadu.demo.users``, are imported
before a build so their ``register_step`` calls take effect.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from terpadu.core.models import Region
from terpadu.demo import agencies, population, regions
from terpadu.demo.models import DemoBuild
from terpadu.registry import bulk
from terpadu.registry.models import Resident

DEFAULT_PEOPLE = 20_000
DEFAULT_SEED = 2017
FULL_REGENCY_PEOPLE = 1_800_000


@dataclass
class StepContext:
    """What a demo step gets: the regency being built and the build's parameters."""

    regency: Region
    seed: int
    people: int
    rebuild: bool
    progress: Callable[[str], None]
    figures: dict[str, Any] = field(default_factory=dict)


StepFunc = Callable[..., Mapping[str, Any] | None]


@dataclass(frozen=True)
class Step:
    name: str
    func: StepFunc
    clear: StepFunc | None = None


#: Steps added by other apps (run after the population, in this order).
EXTRA_STEPS: list[Step] = []


def register_step(name: str, func: StepFunc, *, clear: StepFunc | None = None) -> None:
    """Add (or replace, by name) a demo step run after the population."""
    step = Step(name=name, func=func, clear=clear)
    for i, existing in enumerate(EXTRA_STEPS):
        if existing.name == name:
            EXTRA_STEPS[i] = step
            return
    EXTRA_STEPS.append(step)


def discover_steps() -> None:
    """Import the modules that register steps (``<app>.demo_steps``, ``terpadu.demo.users``)."""
    autodiscover_modules("demo_steps")
    if importlib.util.find_spec("terpadu.demo.users") is not None:
        importlib.import_module("terpadu.demo.users")


def _call(func: StepFunc, ctx: StepContext) -> dict[str, Any]:
    try:
        takes_args = bool(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        takes_args = True
    result = func(ctx) if takes_args else func()
    return dict(result) if result else {}


def _quiet(_: str) -> None:
    return None


def latest_build(regency_code: str = regions.REGENCY_CODE) -> DemoBuild | None:
    return DemoBuild.objects.filter(region_code=regency_code).first()


def clear_demo(regency: Region, *, progress: Callable[[str], None] = _quiet) -> dict[str, Any]:
    """Remove the generated population and the registered steps' data; keep regions and agencies."""
    ctx = StepContext(regency=regency, seed=0, people=0, rebuild=True, progress=progress)
    for step in reversed(EXTRA_STEPS):
        if step.clear is not None:
            progress(f"clear: {step.name}")
            _call(step.clear, ctx)
    progress("clear: population")
    counts = population.clear_population(regency)
    DemoBuild.objects.filter(region_code=regency.code).delete()
    return counts


def build_demo(
    *,
    people: int = DEFAULT_PEOPLE,
    seed: int = DEFAULT_SEED,
    rebuild: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build (or reuse) the demo region; returns the figures of this call.

    Figures: ``people``, ``households``, ``seconds`` per step and in total,
    ``people_per_second`` of the population step, ``reused``, and whatever
    the steps return under their own name.
    """
    if people < 0:
        raise ValueError("people must be zero or more")
    say = progress or _quiet
    discover_steps()
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    figures: dict[str, Any] = {
        "seed": seed,
        "people_requested": people,
        "version": population.GENERATOR_VERSION,
    }

    def timed(name: str, func: Callable[[], Any]) -> Any:
        say(f"{name} …")
        t0 = time.perf_counter()
        result = func()
        seconds[name] = round(time.perf_counter() - t0, 3)
        return result

    marker = latest_build()
    regency = Region.objects.filter(code=regions.REGENCY_CODE).first()
    reusable = (
        not rebuild
        and marker is not None
        and regency is not None
        and marker.seed == seed
        and marker.people == people
        and marker.version == population.GENERATOR_VERSION
        and Resident.objects.filter(region=regency).count() == marker.figures.get("people")
    )
    if reusable:
        assert marker is not None and regency is not None
        done = set(marker.figures.get("steps", []))
        ctx = StepContext(regency=regency, seed=seed, people=people, rebuild=False, progress=say)
        ran = []
        for step in EXTRA_STEPS:
            if step.name not in done:
                figures[step.name] = timed(step.name, lambda s=step: _call(s.func, ctx))  # type: ignore[misc]
                ran.append(step.name)
        if ran:
            marker.figures = {**marker.figures, "steps": [*marker.figures.get("steps", []), *ran]}
            marker.save(update_fields=["figures"])
        say(f"demo reused: {marker.figures.get('people', 0):,} people (seed {seed})")
        return {
            **figures,
            "reused": True,
            "people": marker.figures.get("people", 0),
            "households": marker.figures.get("households", 0),
            "seconds": {**seconds, "total": round(time.perf_counter() - started, 3)},
            "people_per_second": marker.figures.get("people_per_second"),
            "steps_run": ran,
        }

    with bulk.sqlite_cache():
        return _build(
            people=people,
            seed=seed,
            say=say,
            timed=timed,
            started=started,
            seconds=seconds,
            figures=figures,
        )


def _build(
    *,
    people: int,
    seed: int,
    say: Callable[[str], None],
    timed: Callable[[str, Callable[[], Any]], Any],
    started: float,
    seconds: dict[str, float],
    figures: dict[str, Any],
) -> dict[str, Any]:
    """The build proper (the caller has found nothing to reuse)."""
    figures["regions"] = timed("regions", regions.load_regions)
    calendars = timed("calendars", regions.load_calendars)
    figures["calendars"] = {key: cal.name for key, cal in calendars.items()}
    figures["agencies"] = timed("agencies", agencies.load_agencies)
    regency = Region.objects.get(code=regions.REGENCY_CODE)
    figures["cleared"] = timed("clear", lambda: clear_demo(regency, progress=say))
    counts = timed(
        "population",
        lambda: population.build_population(
            people=people, seed=seed, regency=regency, progress=say
        ),
    )
    figures.update(
        people=counts["people"], households=counts["households"], villages=counts["villages"]
    )
    pop_seconds = seconds["population"]
    figures["people_per_second"] = (
        round(counts["people"] / pop_seconds) if pop_seconds > 0 else None
    )

    ctx = StepContext(
        regency=regency, seed=seed, people=people, rebuild=True, progress=say, figures=figures
    )
    steps_done = []
    for step in EXTRA_STEPS:
        figures[step.name] = timed(step.name, lambda s=step: _call(s.func, ctx))  # type: ignore[misc]
        steps_done.append(step.name)
    seconds["total"] = round(time.perf_counter() - started, 3)
    figures["seconds"] = seconds
    figures["steps"] = steps_done
    DemoBuild.objects.create(
        region_code=regency.code,
        seed=seed,
        people=people,
        version=population.GENERATOR_VERSION,
        built_at=timezone.now(),
        figures=figures,
    )
    say(
        f"demo built: {counts['people']:,} people in {counts['households']:,} households, {seconds['total']:.1f}s"
    )
    return {**figures, "reused": False}
