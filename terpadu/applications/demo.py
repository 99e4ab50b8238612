"""Demo step: six months of applications across the catalogue, in every state, with realistic
step durations on the office calendars (some late, some escalated). Deterministic for a seed
(relative to the day the demo is built), idempotent, bulk-inserted (a few seconds).

Each application is simulated from its submission: pick-up, verification (sometimes a
correction round, sometimes a rejection), processing against the service's SLA (about one
in eight runs late), approval with a numbered document, hand-over. Whatever step "now"
falls in is its current state, with the clocks the services would have stored.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from terpadu.accounts.models import Role, User
from terpadu.applications import sla as clock
from terpadu.applications.codes import CROCKFORD
from terpadu.applications.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    IssuedDocument,
)
from terpadu.applications.services import calendar_of, service_sla, step_sla
from terpadu.applications.uploads import storage
from terpadu.applications.workflow import DEFAULT_WORKFLOW
from terpadu.catalog.models import Service
from terpadu.core.audit import audit_record
from terpadu.core.models import Region
from terpadu.core.workdays import Calendar
from terpadu.registry.models import Resident

DAYS_BACK = 182
HOUR = 3600.0
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n% berkas contoh (data demo)\ntrailer<<>>\n%%EOF\n"


def _sample_files() -> tuple[str, str]:
    """One small PDF and one JPEG shared by every demo upload (written once)."""
    import io

    from PIL import Image

    store = storage()
    pdf_name, jpg_name = "applications/demo/contoh.pdf", "applications/demo/contoh.jpg"
    if not store.exists(pdf_name):
        store.save(pdf_name, ContentFile(SAMPLE_PDF))
    if not store.exists(jpg_name):
        buffer = io.BytesIO()
        Image.new("RGB", (64, 48), (210, 220, 230)).save(buffer, format="JPEG")
        store.save(jpg_name, ContentFile(buffer.getvalue()))
    return pdf_name, jpg_name


class _Sim:
    """One application's life, step by step, until ``now``."""

    def __init__(self, start: datetime, now: datetime, cal: Calendar) -> None:
        self.t = start
        self.now = now
        self.cal = cal
        self.events: list[tuple[str, str, str, str, datetime]] = []
        self.state = "diajukan"
        self.step_start = start
        self.pauses: list[tuple[datetime, datetime]] = []
        self.paused_since: datetime | None = None

    def go(self, hours: float, action: str, target: str, reason: str = "") -> bool:
        """Take ``action`` after ``hours`` of office time; False if that is after now."""
        when = clock.add_working_seconds(self.t, hours * HOUR, self.cal)
        if when > self.now:
            return False
        if self.state == "perbaikan" and self.paused_since is not None:
            self.pauses.append((self.paused_since, when))
            self.paused_since = None
        if target == "perbaikan":
            self.paused_since = when
        self.events.append((action, self.state, target, reason, when))
        self.state, self.t, self.step_start = target, when, when
        return True


FIX_REASONS = (
    "Foto KK buram, mohon unggah ulang yang jelas.",
    "Surat keterangan belum ditandatangani bidan/kepala desa.",
    "Nama pada KTP-el berbeda dengan KK; lampirkan dokumen pendukung.",
    "Berkas yang diunggah terpotong, mohon unggah halaman lengkap.",
)
REJECT_REASONS = (
    "Pemohon bukan penduduk Kabupaten Banyuwangi.",
    "Data sudah pernah diterbitkan; gunakan layanan penggantian.",
    "Persyaratan tidak dapat dipenuhi setelah perbaikan.",
)


def _simulate(sim: _Sim, rng: random.Random, sla_hours: float) -> None:
    pickup = rng.uniform(0.3, 4.0) if rng.random() > 0.1 else rng.uniform(4.5, 14)
    if not sim.go(pickup, "verify", "verifikasi"):
        return
    rounds = 0
    while True:
        verify_hours = rng.uniform(0.5, 7.0) if rng.random() > 0.08 else rng.uniform(8.5, 20)
        roll = rng.random()
        if roll < 0.06 or (rounds and roll < 0.1):
            sim.go(verify_hours, "reject", "ditolak", rng.choice(REJECT_REASONS))
            return
        if roll < 0.2 and rounds == 0:
            if not sim.go(verify_hours, "request_fix", "perbaikan", rng.choice(FIX_REASONS)):
                return
            if rng.random() < 0.1:
                return  # the citizen never came back
            if not sim.go(rng.uniform(2, 70), "resubmit", "verifikasi"):
                return
            rounds += 1
            continue
        if not sim.go(verify_hours, "accept", "diproses"):
            return
        break
    late = rng.random() < 0.12
    process = sla_hours * (rng.uniform(1.05, 1.8) if late else rng.uniform(0.25, 0.9))
    if not sim.go(process, "approve", "disetujui"):
        return
    sim.go(
        rng.uniform(0.3, 12) if rng.random() > 0.1 else rng.uniform(9, 30), "complete", "selesai"
    )


def _value(kind: str, name: str, rng: random.Random, people: list[tuple[str, str]]) -> Any:
    if kind == "date":
        return (date(2026, 1, 1) - timedelta(days=rng.randint(0, 400))).isoformat()
    if kind == "number":
        return rng.randint(1, 20)
    if kind == "tel":
        return f"+628{rng.randint(100000000, 999999999)}"
    if kind == "email":
        return f"warga{rng.randint(1, 9999)}@contoh.id"
    if "place" in name or "tempat" in name:
        return rng.choice(("Banyuwangi", "Genteng", "Rogojampi", "Muncar", "Srono", "Glenmore"))
    return rng.choice(people)[1]


def load_demo_applications(
    regency: Region,
    *,
    seed: int = 2017,
    count: int = 2400,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    if Application.objects.filter(region=regency).exists():
        return {"applications": Application.objects.filter(region=regency).count(), "reused": True}
    now = now or timezone.now()
    rng = random.Random(seed * 7919 + 5)
    services = list(
        Service.objects.filter(region=regency, is_active=True)
        .exclude(current_version=None)
        .select_related("agency", "agency__region", "current_version")
        .order_by("code")
    )
    if not services:
        return {"applications": 0}
    weights = [
        (8 if s.agency.code == "dukcapil" else 1) * (2 if s.online_available else 1)
        for s in services
    ]
    ids = list(Resident.objects.filter(region=regency).order_by("pk").values_list("pk", flat=True))
    pool_ids = sorted(rng.sample(ids, min(len(ids), 3000))) if ids else []
    people = list(
        Resident.objects.filter(pk__in=pool_ids).order_by("pk").values_list("nik", "name")
    ) or [("3510014508900001", "Warga Contoh")]
    officers = {
        u.agency_id: u
        for u in User.objects.filter(
            role=Role.AGENCY_OFFICER, agency__region=regency, username__startswith="petugas."
        ).order_by("username")
    }
    counter_desk = User.objects.filter(username="frontdesk").first()
    citizen = User.objects.filter(username="warga", role=Role.CITIZEN).first()
    calendars: dict[int, Calendar] = {}
    pdf_name, jpg_name = _sample_files()
    existing_codes = set(Application.objects.values_list("code", flat=True))
    seq: dict[tuple[int, int], int] = {}
    apps: list[Application] = []
    plans: list[tuple[_Sim, Service, list[tuple[int, str]]]] = []
    start_day = now - timedelta(days=DAYS_BACK)
    for i in range(count):
        service = rng.choices(services, weights)[0]
        version = service.current_version
        assert version is not None
        agency = service.agency
        if agency.pk not in calendars:
            calendars[agency.pk] = calendar_of(agency)
        cal = calendars[agency.pk]
        # busier towards today; office hours (WIB) on any day; online at night too
        offset = DAYS_BACK * (rng.random() ** 0.8)
        submitted = start_day + timedelta(days=offset)
        online = service.online_available and rng.random() < 0.55
        if not online:
            submitted = submitted.replace(
                hour=(rng.randint(8, 14) - 7) % 24, minute=rng.randint(0, 59)
            )
        if submitted > now - timedelta(minutes=10):
            submitted = now - timedelta(minutes=rng.randint(10, 600))
        sim = _Sim(submitted, now, cal)
        total = service_sla(version)
        sla_hours = total.value * (8 if total.unit == "working_days" else 1)
        _simulate(sim, rng, sla_hours)
        nik, name = rng.choice(people)
        mine = citizen is not None and online and i % 97 == 0
        if mine:
            assert citizen is not None
            name = citizen.get_full_name() or name
        code = ""
        while not code or code in existing_codes:
            code = "".join(rng.choice(CROCKFORD) for _ in range(10))
        existing_codes.add(code)
        state = DEFAULT_WORKFLOW.state(sim.state)
        due = clock.due_at(submitted, total, cal, pauses=sim.pauses)
        step = step_sla(state, version)
        agency_step = step is not None and not state.terminal and state.waits_for == "agency"
        step_due = clock.due_at(sim.step_start, step, cal) if step and agency_step else None
        data = {
            f["name"]: _value(f.get("type", "text"), f["name"], rng, people)
            for f in version.extra_fields or []
        }
        channel = rng.choice(("whatsapp", "whatsapp", "sms", "email", "none"))
        phone = f"+6281{rng.randint(10000000, 99999999)}"
        app = Application(
            region_id=regency.pk,
            agency_id=agency.pk,
            service_id=service.pk,
            service_version_id=version.pk,
            code=code,
            channel="online" if online else "counter",
            status=sim.state,
            applicant=citizen if mine else None,
            filed_by=None if online else counter_desk,
            applicant_name=name,
            applicant_nik=nik,
            applicant_phone=phone,
            applicant_email=f"{code.lower()}@contoh.id" if channel == "email" else "",
            notify_channel=channel,
            data=data,
            assigned_to=officers.get(agency.pk) if sim.events else None,
            created_at=submitted,
            updated_at=sim.t,
            submitted_at=submitted,
            decided_at=next((e[4] for e in sim.events if e[0] in ("reject", "approve")), None),
            completed_at=sim.t if state.terminal else None,
            step_started_at=sim.step_start,
            step_due_at=step_due,
            step_warn_at=clock.warn_at(sim.step_start, step_due) if step_due else None,
            due_at=None if state.pauses_clock or state.terminal else due,
            paused_since=sim.paused_since,
            pauses=[[a.isoformat(), b.isoformat()] for a, b in sim.pauses],
            escalated_at=step_due + timedelta(minutes=5)
            if step_due is not None and step_due + timedelta(minutes=5) < now
            else None,
        )
        apps.append(app)
        requirements = [
            (index, str(r.get("document", ""))[:300])
            for index, r in enumerate(version.requirement_list())
        ]
        plans.append((sim, service, requirements))
    with transaction.atomic():
        Application.objects.bulk_create(apps, batch_size=500)
        if any(a.pk is None for a in apps):  # backends without RETURNING
            by_code = dict(
                Application.objects.filter(code__in=[a.code for a in apps]).values_list(
                    "code", "pk"
                )
            )
            for a in apps:
                a.pk = by_code[a.code]
        events: list[ApplicationEvent] = []
        files: list[ApplicationFile] = []
        documents: list[IssuedDocument] = []
        for app, (sim, service, requirements) in zip(apps, plans, strict=True):
            officer = officers.get(app.agency_id)
            events.append(
                ApplicationEvent(
                    application_id=app.pk,
                    action="submit",
                    from_status="draf",
                    to_status="diajukan",
                    actor_label=app.applicant_name if app.channel == "online" else "frontdesk",
                    at=app.created_at,
                )
            )
            for action, source, target, reason, when in sim.events:
                by_citizen = action == "resubmit"
                events.append(
                    ApplicationEvent(
                        application_id=app.pk,
                        action=action,
                        from_status=source,
                        to_status=target,
                        reason=reason,
                        actor=None if by_citizen else officer,
                        actor_label=app.applicant_name
                        if by_citizen
                        else (officer.username if officer else "petugas"),
                        at=when,
                    )
                )
            for index, label in requirements:
                if app.channel == "counter" and index % 2 == 1:
                    continue  # originals checked at the counter
                image = index % 3 == 1
                files.append(
                    ApplicationFile(
                        application_id=app.pk,
                        requirement=index,
                        label=label,
                        file=jpg_name if image else pdf_name,
                        content_type="image/jpeg" if image else "application/pdf",
                        size=1200 if image else len(SAMPLE_PDF),
                        sha256="0" * 64,
                        original_name="contoh.jpg" if image else "contoh.pdf",
                        uploaded_at=app.created_at,
                    )
                )
            if app.status in ("disetujui", "selesai") and app.decided_at is not None:
                year = app.decided_at.astimezone(clock.LOCAL_TZ).year
                key = (app.agency_id, year)
                seq[key] = seq.get(key, 0) + 1
                agency_code = service.agency.code.upper()[:20]
                title = (service.current_version.product or service.name).split("(")[0]  # type: ignore[union-attr]
                documents.append(
                    IssuedDocument(
                        application_id=app.pk,
                        agency_id=app.agency_id,
                        number=f"474/{seq[key]:05d}/{agency_code}/{year}",
                        title=title.strip()[:200],
                        issued_at=app.decided_at,
                        issued_by=officer,
                        file="",
                        sha256="",
                    )
                )
        _insert_rows(
            ApplicationEvent,
            [
                "application_id",
                "action",
                "from_status",
                "to_status",
                "reason",
                "actor_id",
                "actor_label",
                "at",
            ],
            events,
        )
        _insert_rows(
            ApplicationFile,
            [
                "application_id",
                "requirement",
                "label",
                "file",
                "content_type",
                "size",
                "sha256",
                "original_name",
                "is_current",
                "uploaded_at",
            ],
            files,
        )
        IssuedDocument.objects.bulk_create(documents, batch_size=1000)
        counts = {
            "applications": len(apps),
            "events": len(events),
            "files": len(files),
            "documents": len(documents),
            "open": sum(1 for a in apps if a.completed_at is None),
            "overdue_steps": sum(1 for a in apps if a.step_due_at and a.step_due_at < now),
            "by_status": {
                s: sum(1 for a in apps if a.status == s) for s in DEFAULT_WORKFLOW.states
            },
        }
        audit_record(
            actor="demo",
            action="application.demo_load",
            record_type="applications.application",
            record_id="demo",
            region_code=regency.code,
            summary={k: v for k, v in counts.items() if k != "by_status"},
        )
    if progress:
        progress(f"applications: {len(apps):,}")
    return counts


def _insert_rows(model: Any, columns: list[str], rows: list[Any]) -> None:
    """executemany of plain values: ~5x faster than bulk_create's SQL compiler for many rows."""
    ops = connection.ops
    fields = {f.attname: f for f in model._meta.concrete_fields}
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(fields[c].column) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    converters: list[Callable[[Any], Any] | None] = []
    for column in columns:
        internal = fields[column].get_internal_type()
        if internal == "DateTimeField":
            converters.append(ops.adapt_datetimefield_value)
        elif internal == "FileField":
            converters.append(str)
        else:
            converters.append(None)
    values = [
        [
            conv(getattr(row, col))
            if conv is not None and getattr(row, col) is not None
            else getattr(row, col)
            for col, conv in zip(columns, converters, strict=True)
        ]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608


def clear_demo_applications(regency: Region) -> int:
    with transaction.atomic():
        ids = Application.objects.filter(region=regency).values_list("pk", flat=True)
        IssuedDocument.objects.filter(application_id__in=ids).delete()
        deleted, _ = Application.objects.filter(region=regency).delete()
    return deleted
