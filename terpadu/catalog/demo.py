"""Demo step: MPP Banyuwangi's service catalogue (see demo_data.py), fast and idempotent.

Existing services (matched by region + code) are left as they are, so edits made
in a running demo survive a second build; missing ones are bulk-created with a
published version 1. Registered with the demo build in ``demo_steps.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from terpadu.catalog import demo_data as data
from terpadu.catalog.models import (
    Counter,
    CounterGroup,
    Hall,
    LifeEvent,
    LifeEventService,
    Service,
    ServiceCategory,
    ServicePoint,
    ServiceVersion,
)
from terpadu.catalog.search import index_region
from terpadu.core.audit import audit_record
from terpadu.core.models import Agency, Region

EFFECTIVE_DATE = dt.date(2025, 1, 2)
PUBLISHED_AT = dt.datetime(2025, 1, 2, 1, 0, tzinfo=dt.UTC)


def spec_content(spec: data.Spec) -> dict[str, Any]:
    """The 14 components of a demo service."""
    procedure = spec.procedure or data.PROCEDURES.get(spec.agency, data.PROCEDURES["default"])
    return {
        "requirements": [{"document": r, "note": ""} for r in spec.requirements],
        "procedure": list(procedure),
        "completion_time_value": spec.days,
        "completion_time_unit": spec.unit,
        "fee_amount": spec.fee,
        "fee_legal_basis": spec.fee_basis or "Tidak dipungut biaya",
        "product": spec.product or spec.name,
        "complaint_channel": data.COMPLAINT,
        "legal_basis": data.LEGAL_BASIS.get(spec.agency, data.LEGAL_BASIS["default"]),
        **data.MANAGEMENT,
        "extra_fields": [
            {"name": n, "label": label, "type": kind, "required": True}
            for n, label, kind in spec.extra_fields
        ],
    }


def _categories(regency: Region) -> dict[str, ServiceCategory]:
    out = {}
    for position, (slug, name, description) in enumerate(data.CATEGORIES):
        category, _ = ServiceCategory.objects.update_or_create(
            region=regency,
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
        out[slug] = category
    return out


def _services(
    regency: Region, agencies: Mapping[str, Agency], categories: Mapping[str, ServiceCategory]
) -> int:
    existing = set(Service.objects.filter(region=regency).values_list("code", flat=True))
    specs = [s for s in data.SERVICES if s.code not in existing and s.agency in agencies]
    if not specs:
        return 0
    services = Service.objects.bulk_create(
        [
            Service(
                region=regency,
                agency=agencies[s.agency],
                code=s.code,
                name=s.name,
                aliases=list(s.aliases),
                summary=s.summary,
                category=categories.get(s.category),
                online_available=s.online,
                booking_available=True,
            )
            for s in specs
        ]
    )
    if any(s.pk is None for s in services):  # backends without RETURNING
        by_code = dict(
            Service.objects.filter(region=regency, code__in=[s.code for s in specs]).values_list(
                "code", "pk"
            )
        )
        for service in services:
            service.pk = by_code[service.code]
    versions = ServiceVersion.objects.bulk_create(
        [
            ServiceVersion(
                service=service,
                number=1,
                status=ServiceVersion.Status.PUBLISHED,
                effective_date=EFFECTIVE_DATE,
                published_at=PUBLISHED_AT,
                change_note="Standar pelayanan awal (data demo)",
                **spec_content(spec),
            )
            for service, spec in zip(services, specs, strict=True)
        ]
    )
    version_by_service = {
        v.service_id: v.pk
        for v in ServiceVersion.objects.filter(service__in=services, number=1).only(
            "pk", "service_id"
        )
    }
    for service in services:
        service.current_version_id = version_by_service[service.pk]
    Service.objects.bulk_update(services, ["current_version"], batch_size=500)
    return len(versions)


def _life_events(regency: Region, by_code: Mapping[str, Service]) -> int:
    created = 0
    for position, (slug, name, description, steps) in enumerate(data.LIFE_EVENTS):
        event, _ = LifeEvent.objects.update_or_create(
            region=regency,
            slug=slug,
            defaults={"name": name, "description": description, "position": position},
        )
        if event.steps.exists():
            continue
        rows = [
            LifeEventService(life_event=event, service=by_code[code], position=index, note=note)
            for index, (code, note) in enumerate(steps, 1)
            if code in by_code
        ]
        LifeEventService.objects.bulk_create(rows)
        created += len(rows)
    return created


def _hall(
    regency: Region, agencies: Mapping[str, Agency], by_code: Mapping[str, Service]
) -> dict[str, int]:
    hall, _ = Hall.objects.update_or_create(
        region=regency,
        code=data.HALL_CODE,
        defaults={
            "name": data.HALL_NAME,
            "address": "Jl. Sritanjung, Kepatihan, Kec. Banyuwangi (eks Mall of Sritanjung)",
            "opening_hours": "Senin–Sabtu 08.00–14.00 WIB",
        },
    )
    services_by_agency: dict[int, list[Service]] = {}
    for service in by_code.values():
        services_by_agency.setdefault(service.agency_id, []).append(service)
    number = 0
    counters = 0
    for letter, name, agency_codes in data.COUNTER_GROUPS:
        members = [agencies[c] for c in agency_codes if c in agencies]
        group, _ = CounterGroup.objects.update_or_create(
            hall=hall,
            letter=letter,
            defaults={"name": name, "agency": members[0] if len(members) == 1 else None},
        )
        group_services = [s for a in members for s in services_by_agency.get(a.pk, [])]
        group.services.set(group_services)
        for agency in members:
            for i in range(data.COUNTERS_PER_AGENCY.get(agency.code, 1)):
                number += 1
                counter, _ = Counter.objects.update_or_create(
                    hall=hall,
                    number=number,
                    defaults={
                        "name": f"{agency.short_name} {i + 1}",
                        "agency": agency,
                        "counter_group": group,
                    },
                )
                counter.services.set(services_by_agency.get(agency.pk, []))
                counters += 1
    point, _ = ServicePoint.objects.update_or_create(
        region=regency,
        code=data.HALL_CODE,
        defaults={
            "kind": ServicePoint.Kind.HALL,
            "name": data.HALL_NAME,
            "hall": hall,
            "address": hall.address,
            "schedule": hall.opening_hours,
        },
    )
    point.services.set(list(by_code.values()))
    return {"counter_groups": len(data.COUNTER_GROUPS), "counters": counters}


def _service_points(regency: Region, by_code: Mapping[str, Service]) -> int:
    made = 0
    villages = {
        v.name.lower(): v
        for v in Region.objects.filter(
            level=Region.Level.VILLAGE, code__startswith=regency.code + "."
        )
    }
    desa_services = [by_code[c] for c in data.SMART_KAMPUNG_SERVICES if c in by_code]
    for name in data.SMART_KAMPUNG_VILLAGES:
        village = villages.get(name.lower())
        if village is None:
            continue
        point, _ = ServicePoint.objects.update_or_create(
            region=regency,
            code=f"smart-kampung-{village.code}",
            defaults={
                "kind": ServicePoint.Kind.DESA,
                "name": f"Smart Kampung Desa {village.name}",
                "village": village,
                "address": f"Kantor Desa {village.name}",
                "schedule": "Senin–Jumat 08.00–15.00 WIB",
            },
        )
        point.services.set(desa_services)
        made += 1
    for code, name, schedule, codes in data.MOBILE_UNITS:
        point, _ = ServicePoint.objects.update_or_create(
            region=regency,
            code=code,
            defaults={"kind": ServicePoint.Kind.MOBILE, "name": name, "schedule": schedule},
        )
        point.services.set([by_code[c] for c in codes if c in by_code])
        made += 1
    return made


@transaction.atomic
def load_demo_catalog(regency: Region) -> dict[str, int]:
    """Create what is missing of the demo catalogue in ``regency``; returns counts."""
    agencies = {a.code: a for a in Agency.objects.filter(region=regency)}
    categories = _categories(regency)
    created = _services(regency, agencies, categories)
    by_code = {
        s.code: s
        for s in Service.objects.filter(region=regency, code__in=[x.code for x in data.SERVICES])
    }
    steps = _life_events(regency, by_code)
    hall = _hall(regency, agencies, by_code)
    points = _service_points(regency, by_code)
    indexed = index_region(regency.pk) if created else 0
    figures = {
        "services_created": created,
        "services": Service.objects.filter(region=regency).count(),
        "life_event_steps_created": steps,
        "service_points": points,
        "indexed": indexed,
        **hall,
    }
    if created:
        audit_record(
            actor=None,
            action="catalog.demo_load",
            record_type="catalog.catalog",
            record_id=regency.code,
            region_code=regency.code,
            summary=figures,
        )
    return figures
