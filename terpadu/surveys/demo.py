"""Demo step: a few thousand SKM responses over the last year, and published follow-up plans.

Deterministic (seeded) and idempotent (a regency that already has responses keeps them).
Each unit gets its own quality level so the report shows A, B, C and D units; waiting
time (U3) is the usual weak spot and fees (U4) the usual strong one. Responses are
bulk-inserted (one audit entry records the load); the plans go through the services.
Registered with the demo build in ``demo_steps.py``.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from terpadu.accounts.models import Role, User
from terpadu.catalog.models import Hall, Service
from terpadu.core.audit import audit_record
from terpadu.core.models import Agency, Region
from terpadu.surveys.ikm import STANDARD_CODES
from terpadu.surveys.models import SurveyResponse
from terpadu.surveys.periods import Period
from terpadu.surveys.selectors import build_report
from terpadu.surveys.services import follow_up_plan_create, follow_up_plan_publish

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_COUNT = 4000
UNSUR_OFFSET = {
    "U1": 0.1,
    "U2": 0.0,
    "U3": -0.45,
    "U4": 0.45,
    "U5": 0.05,
    "U6": 0.1,
    "U7": 0.2,
    "U8": -0.15,
    "U9": -0.25,
}
PLAN_ACTIONS = {
    "U3": "Menambah petugas loket pada jam sibuk dan menampilkan perkiraan waktu selesai.",
    "U8": "Memperbaiki kursi tunggu, pendingin ruangan, dan papan petunjuk.",
    "U9": "Menempatkan petugas pengaduan di lobi dan menanggapi pengaduan ≤ 3 hari kerja.",
}


def _value(rng: random.Random, level: float) -> int:
    return max(1, min(4, round(rng.gauss(level, 0.55))))


def load_demo_surveys(
    regency: Region, *, seed: int = 2017, count: int = DEFAULT_COUNT, now: datetime | None = None
) -> dict[str, Any]:
    existing = SurveyResponse.objects.filter(region=regency).count()
    if existing:
        return {"responses": existing, "reused": True}
    now = now or timezone.now()
    today = now.astimezone(WIB).date()
    rng = random.Random(seed + 14)
    agencies = list(Agency.objects.filter(region=regency).order_by("code"))
    if not agencies:
        return {"responses": 0, "skipped": "no agencies"}
    services: dict[int, list[Service]] = {}
    for service in Service.objects.filter(region=regency).order_by("code"):
        services.setdefault(service.agency_id, []).append(service)
    hall = Hall.objects.filter(region=regency).order_by("pk").first()
    level = {a.pk: rng.uniform(2.55, 3.65) for a in agencies}
    weights = [len(services.get(a.pk, [])) + 2 for a in agencies]
    profile = {
        "age_band": SurveyResponse.AgeBand.values,
        "sex": SurveyResponse.Sex.values,
        "education": SurveyResponse.Education.values,
        "occupation": SurveyResponse.Occupation.values,
    }
    rows = []
    for i in range(count):
        agency = rng.choices(agencies, weights)[0]
        choices = services.get(agency.pk)
        picked = rng.choice(choices) if choices else None
        day = today - timedelta(days=int(rng.random() * 365))
        moment = datetime(
            day.year, day.month, day.day, rng.randint(8, 15), rng.randint(0, 59), tzinfo=WIB
        )
        channel = rng.choice(["visit", "visit", "kiosk", "link"])
        answers = {
            code.lower(): (
                None if rng.random() < 0.015 else _value(rng, level[agency.pk] + UNSUR_OFFSET[code])
            )
            for code in STANDARD_CODES
        }
        if not any(answers.values()):
            answers["u1"] = 3
        rows.append(
            SurveyResponse(
                region=regency,
                agency=agency,
                service=picked,
                hall=hall if channel != "link" else None,
                channel=channel,
                visit_ref=f"DEMO-{i:06d}" if channel == "visit" else "",
                submitted_at=moment,
                local_date=day,
                comment=rng.choice(
                    ["", "", "", "Antrean terlalu lama.", "Petugas ramah.", "Tolong tambah kursi."]
                ),
                **{k: rng.choice([*v, ""]) for k, v in profile.items()},
                **answers,
            )
        )
    with transaction.atomic():
        SurveyResponse.objects.bulk_create(rows, batch_size=1000)
        audit_record(
            actor="demo",
            action="survey.demo_load",
            record_type="surveys.surveyresponse",
            record_id="demo",
            region_code=regency.code,
            summary={"responses": len(rows), "seed": seed},
        )
    plans = _demo_plans(regency, today)
    return {"responses": len(rows), "plans": plans}


def _demo_plans(regency: Region, today: date) -> int:
    quarter = Period("quarter", today.year, (today.month - 1) // 3 + 1)
    previous = (
        Period("quarter", quarter.year, quarter.index - 1)
        if quarter.index > 1
        else Period("quarter", quarter.year - 1, 4)
    )
    made = 0
    for code in ("dukcapil", "dpmptsp", "dinkes"):
        agency = Agency.objects.filter(region=regency, code=code).first()
        if agency is None:
            continue
        user = (
            User.objects.filter(role=Role.AGENCY_HEAD, agency=agency).first()
            or User.objects.filter(role=Role.ADMIN, region=regency).first()
        )
        if user is None:
            continue
        report = build_report(region=regency, period=previous, agency=agency)
        lowest = report.result.lowest()
        if not lowest:
            continue
        unsur = lowest[0]
        plan = follow_up_plan_create(
            user=user,
            agency=agency,
            period=previous.key,
            unsur_code=unsur,
            finding=f"NRR {unsur} terendah pada {previous.label}.",
            action=PLAN_ACTIONS.get(unsur, "Evaluasi standar pelayanan bersama petugas dan warga."),
            responsible=f"Kepala {agency.short_name}",
            target_date=previous.end + timedelta(days=90),
        )
        follow_up_plan_publish(user=user, plan=plan, status="in_progress")
        made += 1
    return made


def clear_demo_surveys(regency: Region) -> int:
    from terpadu.surveys.models import FollowUpPlan

    FollowUpPlan.objects.filter(region=regency).delete()
    deleted, _ = SurveyResponse.objects.filter(region=regency).delete()
    return deleted
