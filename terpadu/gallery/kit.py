"""The replication kit: an innovation's working configuration as one versioned JSON file.

Format ``terpadu.replication-kit`` version 1 (documented in ``docs/gallery.md``):

- ``source``: the region and innovation it was exported from;
- ``innovation``: name, theme, problem, how it works (the gallery entry to create);
- ``agency_roles``: each agency the kit relies on, by *role* (the source agency's code,
  e.g. ``dispendik``) with its name; an importing region maps roles to its own agencies
  (same code by default, ``--map ROLE=CODE`` otherwise);
- ``programmes``: outreach programmes (code, agency role, the regency's setting overrides,
  and the rules as configured: cohort defaults, escalation levels, outcomes, clocks);
- ``services``: the catalogue services it needs, as catalogue spreadsheet rows;
- ``indicators`` and ``measures``: the CETAR indicators and targets it tracks and the
  gallery measures to re-create.

Import validates everything first (format version, region, agency roles, programmes the
target deployment knows, settings, services, indicators), then writes it all in one
transaction, or nothing. Importing the same kit again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from terpadu.core.audit import audit_record
from terpadu.core.models import Agency, Region
from terpadu.core.workdays import local_today
from terpadu.gallery.models import Innovation, KitImport, Measure, Stage, Theme

FORMAT = "terpadu.replication-kit"
VERSION = 1
MAX_BYTES = 2 * 1024 * 1024


# --------------------------------------------------------------------------- export


def _programme_config(code: str, programme: Any) -> dict[str, Any]:
    from terpadu.outreach.programmes import spec

    s = spec(code)
    return {
        "code": code,
        "name": s.name,
        "agency_role": (programme.agency.code if programme and programme.agency else s.agency_code),
        "settings": dict(programme.settings or {}) if programme else {},
        "rules": {
            "cohort_defaults": dict(s.defaults),
            "levels": [c.code for c in s.levels],
            "outcomes": [c.code for c in s.outcomes],
            "success_outcomes": sorted(s.success_outcomes),
            "clocks_workdays": {
                "verify_days": s.verify_days,
                "visit_days": s.visit_days,
                "escalate_every_days": s.escalate_every_days,
            },
        },
    }


def export_kit(innovation: Innovation) -> dict[str, Any]:
    """The kit of an innovation (measures and their programmes, services, indicators)."""
    from terpadu.catalog.spreadsheet import export_rows
    from terpadu.cetar import indicators
    from terpadu.gallery.measures import programme_of

    roles: dict[str, dict[str, str]] = {}

    def role(agency: Agency | None) -> str:
        if agency is None:
            return ""
        roles.setdefault(
            agency.code, {"name": agency.name, "short_name": agency.short_name, "kind": agency.kind}
        )
        return agency.code

    role(innovation.agency)
    programmes = []
    services: dict[str, Any] = {}
    indicator_rows: dict[str, Any] = {}
    measures = []
    for m in innovation.measures.all():
        entry: dict[str, Any] = {"kind": m.kind, "title": m.title}
        if m.kind == Measure.Kind.OUTREACH:
            programme = programme_of(innovation, m.programme_code)
            config = _programme_config(m.programme_code, programme)
            if programme is not None and programme.agency is not None:
                role(programme.agency)
            else:
                roles.setdefault(config["agency_role"], {"name": "", "short_name": "", "kind": ""})
            programmes.append(config)
            entry["programme_code"] = m.programme_code
        if m.kind == Measure.Kind.CETAR:
            entry["indicator_id"] = m.indicator_id
            ind = indicators.get(m.indicator_id)
            if ind is not None:
                indicator_rows[ind.id] = {
                    "id": ind.id,
                    "name": ind.name_id,
                    "unit": ind.unit,
                    "direction": ind.direction,
                    "target": ind.target,
                }
        if m.agency_id:
            entry["agency_role"] = role(m.agency)
        service = m.service
        if service is not None:
            entry["service_code"] = service.code
            entry["agency_role"] = entry.get("agency_role") or role(service.agency)
            role(service.agency)
            if service.code not in services:
                rows = [
                    r
                    for r in export_rows(region=innovation.region, agency=service.agency)
                    if r["code"] == service.code
                ]
                services[service.code] = {
                    "code": service.code,
                    "name": service.name,
                    "agency_role": service.agency.code,
                    "row": rows[0] if rows else None,
                }
        measures.append(entry)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "source": {
            "region_code": innovation.region.code,
            "region_name": innovation.region.name,
            "innovation_slug": innovation.slug,
        },
        "innovation": {
            "name": innovation.name,
            "tagline": innovation.tagline,
            "theme": innovation.theme,
            "problem": innovation.problem,
            "how_it_works": innovation.how_it_works,
            "agency_role": innovation.agency.code,
        },
        "agency_roles": roles,
        "programmes": programmes,
        "services": list(services.values()),
        "indicators": list(indicator_rows.values()),
        "measures": measures,
    }


def kit_bytes(kit: dict[str, Any]) -> bytes:
    return json.dumps(kit, ensure_ascii=False, indent=2, sort_keys=True).encode()


def kit_sha256(kit: dict[str, Any]) -> str:
    """Hash of the kit's content (its export time left out: the same kit twice is the same)."""
    body = {k: v for k, v in kit.items() if k != "exported_at"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --------------------------------------------------------------------------- import


@dataclass
class KitProblem:
    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}


@dataclass
class KitPlan:
    ok: bool
    region_code: str
    sha256: str = ""
    problems: list[KitProblem] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    dry_run: dict[str, Any] = field(default_factory=dict)
    agency_map: dict[str, str] = field(default_factory=dict)
    unchanged: bool = False
    innovation_slug: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "region": self.region_code,
            "unchanged": self.unchanged,
            "innovation": self.innovation_slug,
            "sha256": self.sha256,
            "agency_map": self.agency_map,
            "actions": self.actions,
            "cohort_dry_run": self.dry_run,
            "problems": [p.as_dict() for p in self.problems],
        }


class KitError(Exception):
    """The file is not a kit at all (unreadable, not JSON): a usage error."""


def read_kit(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_BYTES:
        raise KitError("berkas paket lebih dari 2 MB")
    try:
        kit = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KitError(f"berkas paket bukan JSON yang sah ({exc.__class__.__name__})") from None
    if not isinstance(kit, dict):
        raise KitError("berkas paket harus berisi satu objek JSON")
    return kit


def _services_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    keys = list(rows[0])
    writer = csv.DictWriter(out, fieldnames=keys)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in keys})
    return out.getvalue().encode()


def _known_settings(code: str) -> set[str]:
    from terpadu.outreach.programmes import spec

    s = spec(code)
    return set(s.defaults) | {"verify_days", "visit_days", "escalate_every_days"}


def plan_import(
    kit: dict[str, Any],
    *,
    region_code: str,
    agency_map: dict[str, str] | None = None,
    on: date | None = None,
) -> KitPlan:
    """Validate the kit against the target region and say what an import would do."""
    from terpadu.catalog.models import Service
    from terpadu.cetar import indicators
    from terpadu.outreach.models import Programme
    from terpadu.outreach.programmes import MODULES, rules

    plan = KitPlan(ok=False, region_code=region_code)
    bad = plan.problems.append
    if kit.get("format") != FORMAT:
        bad(KitProblem("format", f"bukan paket replikasi Terpadu (format harus {FORMAT!r})"))
        return plan
    version = kit.get("version")
    if not isinstance(version, int) or version < 1:
        bad(KitProblem("version", "versi format tidak sah"))
        return plan
    if version > VERSION:
        bad(
            KitProblem(
                "version",
                f"paket berformat versi {version}, lebih baru dari yang didukung Terpadu ini "
                f"(versi {VERSION}); perbarui Terpadu atau ekspor ulang dengan versi {VERSION}",
            )
        )
        return plan
    region = Region.objects.filter(code=region_code, level=Region.Level.REGENCY).first()
    if region is None:
        bad(KitProblem("region", f"kabupaten/kota {region_code} tidak dikenal"))
        return plan
    plan.sha256 = kit_sha256(kit)
    innovation_data = kit.get("innovation")
    if not isinstance(innovation_data, dict) or not str(innovation_data.get("name", "")).strip():
        bad(KitProblem("innovation.name", "nama inovasi tidak ada"))
        innovation_data = {}
    elif innovation_data.get("theme") not in Theme.values:
        bad(KitProblem("innovation.theme", f"tema {innovation_data.get('theme')!r} tidak dikenal"))
    # agency roles → the target's agencies
    roles = kit.get("agency_roles")
    if not isinstance(roles, dict):
        bad(KitProblem("agency_roles", "daftar peran instansi tidak ada"))
        roles = {}
    mapping = dict(agency_map or {})
    for unknown in sorted(set(mapping) - set(roles)):
        bad(KitProblem(f"--map {unknown}", f"peran instansi {unknown!r} tidak ada di paket"))
    agencies = {a.code: a for a in Agency.objects.filter(region=region)}
    resolved: dict[str, Agency] = {}
    for role_code, info in sorted(roles.items()):
        target = mapping.get(role_code, role_code)
        agency = agencies.get(target)
        if agency is None:
            name = (info or {}).get("name") or role_code
            bad(
                KitProblem(
                    f"agency_roles.{role_code}",
                    f"daerah {region_code} tidak punya instansi untuk peran {role_code!r} "
                    f"({name}); petakan dengan --map {role_code}=KODE_INSTANSI",
                )
            )
        else:
            resolved[role_code] = agency
            plan.agency_map[role_code] = agency.code
    if innovation_data and innovation_data.get("agency_role") not in roles:
        bad(KitProblem("innovation.agency_role", "peran instansi inovasi tidak ada di paket"))
    # programmes
    today = on or local_today()
    programmes = kit.get("programmes") or []
    for i, p in enumerate(programmes):
        code = str(p.get("code", ""))
        where = f"programmes[{i}]"
        if code not in MODULES:
            bad(KitProblem(where, f"program {code!r} tidak tersedia di Terpadu ini"))
            continue
        if p.get("agency_role") not in roles:
            bad(KitProblem(where, f"peran instansi {p.get('agency_role')!r} tidak ada di paket"))
        settings = p.get("settings") or {}
        if not isinstance(settings, dict):
            bad(KitProblem(f"{where}.settings", "pengaturan harus berupa objek"))
            continue
        for key in sorted(set(settings) - _known_settings(code)):
            bad(KitProblem(f"{where}.settings.{key}", f"pengaturan {key!r} tidak dikenal"))
        existing = Programme.objects.filter(region=region, code=code).first()
        if existing is None:
            plan.actions.append({"action": "create", "what": "programme", "code": code})
        elif (existing.settings or {}) != settings and settings:
            plan.actions.append({"action": "update", "what": "programme", "code": code})
        else:
            plan.actions.append({"action": "unchanged", "what": "programme", "code": code})
        finder = getattr(rules(code), "cohort", None)
        if finder is not None and not plan.problems:
            probe = Programme(region=region, code=code, settings=settings)
            plan.dry_run[code] = sum(1 for _ in finder(probe, on=today))
    # services
    services = kit.get("services") or []
    rows = []
    existing_codes = set(
        Service.objects.filter(
            region=region, code__in=[s.get("code") for s in services]
        ).values_list("code", flat=True)
    )
    for i, s in enumerate(services):
        where = f"services[{i}]"
        if s.get("agency_role") not in roles:
            bad(KitProblem(where, f"peran instansi {s.get('agency_role')!r} tidak ada di paket"))
            continue
        if s.get("code") in existing_codes:
            plan.actions.append({"action": "unchanged", "what": "service", "code": s["code"]})
            continue
        if not isinstance(s.get("row"), dict):
            bad(KitProblem(where, f"layanan {s.get('code')!r} tidak membawa isi standar pelayanan"))
            continue
        agency = resolved.get(s["agency_role"])
        if agency is not None:
            rows.append({**s["row"], "agency": agency.code})
        plan.actions.append({"action": "create", "what": "service", "code": str(s.get("code"))})
    if rows and not plan.problems:
        from terpadu.catalog.spreadsheet import SpreadsheetError, catalog_import

        try:
            result = catalog_import(
                actor="kit",
                region=region,
                data=_services_csv(rows),
                filename="kit.csv",
                dry_run=True,
            )
        except SpreadsheetError as exc:
            bad(KitProblem("services", str(exc)))
        else:
            for e in result.errors:
                bad(KitProblem("services", str(e.as_dict())))
    # measures and indicators
    service_codes = existing_codes | {str(s.get("code")) for s in services}
    for i, m in enumerate(kit.get("measures") or []):
        where = f"measures[{i}]"
        kind = m.get("kind")
        if kind not in Measure.Kind.values:
            bad(KitProblem(where, f"jenis ukuran {kind!r} tidak dikenal"))
        if kind == "cetar" and indicators.get(str(m.get("indicator_id"))) is None:
            bad(KitProblem(where, f"indikator {m.get('indicator_id')!r} tidak dikenal"))
        if kind == "outreach" and m.get("programme_code") not in MODULES:
            bad(KitProblem(where, f"program {m.get('programme_code')!r} tidak tersedia"))
        if m.get("service_code") and m["service_code"] not in service_codes:
            bad(
                KitProblem(
                    where, f"layanan {m['service_code']!r} tidak ada di paket maupun di daerah"
                )
            )
        if m.get("agency_role") and m["agency_role"] not in roles:
            bad(KitProblem(where, f"peran instansi {m['agency_role']!r} tidak ada di paket"))
    done = (
        KitImport.objects.filter(region=region, sha256=plan.sha256)
        .select_related("innovation")
        .first()
    )
    if done is not None:
        plan.unchanged = True
        plan.innovation_slug = done.innovation.slug
        plan.actions = [{**a, "action": "unchanged"} for a in plan.actions]
    elif innovation_data:
        plan.actions.append(
            {"action": "create", "what": "innovation", "code": str(innovation_data.get("name"))}
        )
    plan.ok = not plan.problems
    return plan


@transaction.atomic
def import_kit(
    kit: dict[str, Any],
    *,
    region_code: str,
    actor: Any = None,
    agency_map: dict[str, str] | None = None,
    dry_run: bool = False,
    on: date | None = None,
) -> KitPlan:
    """Validate, then create everything the kit needs in ``region_code`` — or nothing."""
    from terpadu.catalog.models import Service
    from terpadu.catalog.spreadsheet import catalog_import
    from terpadu.outreach.models import Programme
    from terpadu.outreach.services import programme_ensure

    plan = plan_import(kit, region_code=region_code, agency_map=agency_map, on=on)
    if not plan.ok or plan.unchanged or dry_run:
        return plan
    region = Region.objects.get(code=region_code)
    agencies = {a.code: a for a in Agency.objects.filter(region=region)}
    by_role = {role: agencies[code] for role, code in plan.agency_map.items()}
    user = actor if getattr(actor, "pk", None) is not None else None
    # catalogue services
    existing = set(Service.objects.filter(region=region).values_list("code", flat=True))
    rows = [
        {**s["row"], "agency": by_role[s["agency_role"]].code}
        for s in kit.get("services") or []
        if s.get("code") not in existing and isinstance(s.get("row"), dict)
    ]
    if rows:
        result = catalog_import(
            actor=user or "kit", region=region, data=_services_csv(rows), filename="kit.csv"
        )
        if not result.ok:  # validated above; a race would land here
            raise RuntimeError("catalogue rows rejected during import")
    # outreach programmes
    for p in kit.get("programmes") or []:
        programme = programme_ensure(
            region=region, code=p["code"], agency=by_role[p["agency_role"]], actor=user
        )
        settings = p.get("settings") or {}
        if settings and (programme.settings or {}) != settings:
            # the outreach app has no settings service yet: the gallery's thin adapter
            Programme.objects.filter(pk=programme.pk).update(settings=settings)
            audit_record(
                actor=user,
                action="outreach.programme_settings",
                record=programme,
                summary={"settings": settings, "via": "gallery.import_kit"},
                region_code=region.code,
            )
    # the gallery entry and its measures
    from terpadu.gallery.services import innovation_create, measure_add

    data = kit["innovation"]
    source = kit.get("source") or {}
    original = Innovation.objects.filter(
        slug=source.get("innovation_slug", ""), region__code=source.get("region_code", "")
    ).first()
    innovation = innovation_create(
        actor=user,
        agency=by_role[data["agency_role"]],
        name=str(data["name"]),
        theme=str(data["theme"]),
        tagline=str(data.get("tagline") or "")[:240],
        problem=str(data.get("problem") or ""),
        how_it_works=str(data.get("how_it_works") or ""),
        stage=Stage.PILOT,
        start_date=on or local_today(),
        replicated_from=original,
        origin_label=""
        if original
        else f"{source.get('innovation_slug', '')} ({source.get('region_name', '')})",
    )
    services_by_code = {s.code: s for s in Service.objects.filter(region=region)}
    for m in kit.get("measures") or []:
        measure_add(
            actor=user,
            innovation=innovation,
            kind=m["kind"],
            title=str(m.get("title") or ""),
            programme_code=str(m.get("programme_code") or ""),
            indicator_id=str(m.get("indicator_id") or ""),
            agency=by_role.get(str(m.get("agency_role") or "")),
            service=services_by_code.get(str(m.get("service_code") or "")),
        )
    if original is not None and original.stage != Stage.REPLICATED:
        from terpadu.gallery.services import innovation_update

        innovation_update(actor=user, innovation=original, stage=Stage.REPLICATED)
    KitImport.objects.create(
        region=region,
        innovation=innovation,
        source_region_code=str(source.get("region_code", ""))[:13],
        source_slug=str(source.get("innovation_slug", ""))[:80],
        kit_version=int(kit["version"]),
        sha256=plan.sha256,
        imported_at=timezone.now(),
        imported_by=user,
        summary=plan.as_dict(),
    )
    audit_record(
        actor=user,
        action="gallery.kit_import",
        record=innovation,
        summary={"source": source, "sha256": plan.sha256, "actions": len(plan.actions)},
        region_code=region.code,
    )
    plan.innovation_slug = innovation.slug
    return plan
