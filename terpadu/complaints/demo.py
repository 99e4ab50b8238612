"""Demo step: complaint categories, a few hundred complaints across every stage, an Open311 key.

Deterministic (seeded), idempotent (a regency that already has complaints keeps them) and
fast (bulk insert with the clocks the services would set; escalation and auto-closure by
the real periodic job).
Registered with the demo build in ``demo_steps.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from terpadu.complaints import services, sla
from terpadu.complaints.access import CODE_ALPHABET
from terpadu.complaints.models import Category, Complaint, ComplaintEvent, Open311Client
from terpadu.core.audit import audit_record
from terpadu.core.models import Agency, Region

WIB = ZoneInfo("Asia/Jakarta")
DEMO_CLIENT = "Demo Open311"
DEFAULT_COUNT = 300

# code, name, agency code, follow-up limit (working days), description
CATEGORIES = [
    ("adminduk", "Administrasi kependudukan", "dukcapil", 5, "KTP-el, KK, akta, pindah datang"),
    ("perizinan", "Perizinan dan investasi", "dpmptsp", 14, "NIB, PBG, izin usaha"),
    ("kesehatan", "Layanan kesehatan", "dinkes", 5, "Puskesmas, BPJS, rujukan"),
    ("pendidikan", "Pendidikan", "dispendik", 14, "PPDB, sekolah, beasiswa"),
    ("bansos", "Bantuan sosial", "dinsos", 14, "PKH, BPNT, DTKS"),
    ("pajak-daerah", "Pajak daerah", "bapenda", 5, "PBB, BPHTB"),
    ("jalan-rusak", "Jalan dan lampu jalan", "dishub", 14, "Jalan rusak, lampu mati, rambu"),
    ("air-bersih", "Air bersih", "pdam", 5, "Air PDAM mati atau keruh"),
    ("pungli", "Pungutan liar dan perilaku petugas", None, 60, "Perlu pemeriksaan"),
    ("ringan", "Keluhan ringan di MPP", "dpmptsp", 2, "Antrean, parkir, toilet, AC"),
]

TEXTS = {
    "adminduk": [
        "KTP-el saya sudah tiga bulan belum jadi padahal sudah rekam di kecamatan {kec}.",
        "Pengurusan KK setelah menikah diminta fotokopi berulang kali di desa {desa}.",
        "Akta kelahiran anak saya salah tulis nama ibu, sudah dua kali kembali.",
    ],
    "perizinan": [
        "Pengajuan PBG rumah saya di {desa} belum ada kabar lebih dari sebulan.",
        "NIB usaha warung saya ditolak sistem tanpa penjelasan.",
    ],
    "kesehatan": [
        "Puskesmas {kec} tutup lebih awal dari jadwal, ibu hamil pulang tanpa diperiksa.",
        "Kartu BPJS PBI ibu saya tiba-tiba nonaktif saat berobat.",
    ],
    "pendidikan": [
        "Zonasi PPDB di {kec} tidak sesuai jarak rumah kami ke sekolah.",
        "Dana PIP anak saya belum cair padahal sudah terdaftar.",
    ],
    "bansos": [
        "Kami keluarga miskin di {desa} tidak masuk DTKS, sementara tetangga mampu dapat bantuan.",
        "BPNT bulan ini belum diterima warga RT 03 {desa}.",
    ],
    "pajak-daerah": [
        "Tagihan PBB tanah saya di {desa} naik dua kali lipat tanpa pemberitahuan.",
        "Sudah bayar BPHTB tapi validasi belum keluar.",
    ],
    "jalan-rusak": [
        "Jalan poros desa {desa} berlubang besar, sudah ada pengendara motor jatuh.",
        "Lampu penerangan jalan di perempatan {desa} mati lebih dari dua minggu.",
        "Rambu tikungan tajam di {kec} roboh tertabrak truk.",
    ],
    "air-bersih": [
        "Air PDAM di {desa} mati tiga hari berturut-turut.",
        "Air PDAM keruh dan berbau di lingkungan kami, {kec}.",
    ],
    "pungli": [
        "Ada oknum yang meminta uang pelicin untuk mempercepat surat di {kec}.",
    ],
    "ringan": [
        "Toilet di lantai dua MPP tidak ada air.",
        "Nomor antrean di layar tidak sesuai panggilan petugas.",
        "Parkir MPP penuh, juru parkir meminta tarif lebih dari karcis.",
    ],
}
ANSWERS = [
    "Terima kasih. Petugas kami sudah menindaklanjuti di lapangan dan masalah telah diperbaiki.",
    "Berkas Anda sudah kami periksa; dokumen dapat diambil di loket mulai besok.",
    "Laporan sudah kami teruskan ke bidang terkait dan dijadwalkan perbaikan minggu ini.",
    "Data Anda sudah kami verifikasi ulang dan diperbaiki dalam sistem.",
]
FIRST = [
    "Siti",
    "Agus",
    "Dewi",
    "Budi",
    "Sri",
    "Eko",
    "Nur",
    "Yuli",
    "Hadi",
    "Rina",
    "Wahyu",
    "Lilik",
]
LAST = ["Rahayu", "Santoso", "Lestari", "Hidayat", "Wulandari", "Prasetyo", "Aminah", "Susanto"]
REOPEN = "Belum selesai: setelah dicek kembali masalahnya masih sama seperti sebelumnya."


def demo_open311_key() -> str:
    """The demo's Open311 API key (derived from the site secret, so it can be printed again)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"terpadu-demo-open311", hashlib.sha256)
    return "o311_demo_" + digest.hexdigest()[:32]


def ensure_demo_open311_client(regency: Region) -> Open311Client:
    key = demo_open311_key()
    client, _ = Open311Client.objects.update_or_create(
        name=DEMO_CLIENT,
        defaults={
            "region": regency,
            "key_prefix": key[:8],
            "key_hash": hashlib.sha256(key.encode()).hexdigest(),
            "revoked_at": None,
        },
    )
    return client


@transaction.atomic
def load_categories(regency: Region) -> dict[str, Category]:
    agencies = {a.code: a for a in Agency.objects.filter(region=regency)}
    out = {}
    for code, name, agency_code, days, description in CATEGORIES:
        category, _ = Category.objects.update_or_create(
            region=regency,
            code=code,
            defaults={
                "name": name,
                "agency": agencies.get(agency_code) if agency_code else None,
                "follow_up_days": days,
                "description": description,
            },
        )
        out[code] = category
    return out


def _working_moment(rng: random.Random, day: datetime) -> datetime:
    moment = day.replace(
        hour=rng.randint(7, 20), minute=rng.randint(0, 59), second=0, microsecond=0
    )
    return moment


def _code(rng: random.Random) -> str:
    raw = "".join(rng.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def load_demo_complaints(
    regency: Region, *, seed: int = 2017, count: int = DEFAULT_COUNT, now: datetime | None = None
) -> dict[str, Any]:
    """Create ``count`` complaints spread over the last 120 days, in every stage.

    Rows are bulk-inserted with the clocks the services would set (the same pure
    functions of :mod:`terpadu.complaints.sla` on the same calendars); one audit entry
    records the load. Then the real periodic job escalates the overdue steps and
    closes the silent ones, through the services.
    """
    categories = load_categories(regency)
    client = ensure_demo_open311_client(regency)
    existing = Complaint.objects.filter(region=regency).count()
    if existing:
        return {"complaints": existing, "categories": len(categories), "reused": True}
    now = now or timezone.now()
    rng = random.Random(seed)
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=regency.code + ".")
        .select_related("parent")
        .order_by("code")
    )
    agencies = list(Agency.objects.filter(region=regency).select_related("region").order_by("code"))
    if not villages or not agencies:
        return {"complaints": 0, "skipped": "no villages or agencies"}
    coordinator_cal = services.coordinator_calendar(regency)
    agency_cals = {a.pk: services.agency_calendar(a) for a in agencies}
    stats: dict[str, int] = {}
    local_now = now.astimezone(WIB)
    channels = ["web"] * 6 + ["counter"] * 2 + ["open311", "api"]
    rows: list[Complaint] = []
    timelines: list[list[tuple[str, datetime, str]]] = []
    used_codes: set[str] = set()
    for _i in range(count):
        code = rng.choice(list(TEXTS))
        category = categories[code]
        village = rng.choice(villages)
        kec = village.parent.name if village.parent else ""
        submitted = _working_moment(rng, local_now - timedelta(days=rng.random() ** 1.6 * 120))
        if submitted > local_now:
            submitted = local_now - timedelta(minutes=5)
        channel = rng.choice(channels)
        point = rng.random() < 0.5
        tracking = _code(rng)
        while tracking in used_codes:
            tracking = _code(rng)
        used_codes.add(tracking)
        complaint = Complaint(
            tracking_code=tracking,
            region=regency,
            channel=channel,
            text=rng.choice(TEXTS[code]).format(desa=village.name, kec=kec),
            village=village if channel != "open311" else None,
            district=village.parent if channel != "open311" else None,
            address=f"Dekat balai desa {village.name}" if channel == "open311" else "",
            lat=Decimal(f"{-8.60 + rng.random() * 0.75:.6f}") if point else None,
            long=Decimal(f"{114.00 + rng.random() * 0.45:.6f}") if point else None,
            category=category,
            agency=category.agency,
            is_confidential=code == "pungli" or rng.random() < 0.05,
            is_anonymous=code == "pungli" or rng.random() < 0.15,
            reporter_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            reporter_phone=f"0812{rng.randrange(10**7, 10**8)}",
            open311_client=client if channel == "open311" else None,
            open311_token=f"demo{rng.getrandbits(64):016x}" if channel == "open311" else "",
            submitted_at=submitted,
            verify_due=sla.verify_due(submitted.date(), coordinator_cal),
        )
        events = [("submitted", submitted, "")]
        age = (local_now - submitted).days
        roll = rng.random()
        if age < 2 or roll < 0.08:
            stage = "submitted"
        elif roll < 0.12:
            stage = "rejected"
            complaint.status = Complaint.Status.REJECTED
            complaint.close_reason = Complaint.CloseReason.REJECTED
            complaint.closed_at = submitted + timedelta(days=1)
            complaint.answer = "Laporan tidak jelas dan pelapor tidak dapat dihubungi."
            events.append(("rejected", complaint.closed_at, complaint.answer))
        else:
            agency = category.agency or rng.choice(agencies)
            disposed = min(submitted + timedelta(days=rng.choice([0, 1, 1, 2, 3, 6])), local_now)
            complaint.agency = agency
            complaint.status = Complaint.Status.DISPOSED
            complaint.disposed_at = disposed
            complaint.follow_up_due = sla.follow_up_due(
                disposed.date(), agency_cals[agency.pk], category.follow_up_days
            )
            events.append(("disposed", disposed, agency.name))
            stage = "disposed"
            if age >= 6 and roll >= 0.25:
                answered = min(
                    disposed + timedelta(days=rng.choice([1, 2, 3, 5, 8, 12])), local_now
                )
                complaint.status = Complaint.Status.ANSWERED
                complaint.answer = rng.choice(ANSWERS)
                complaint.answered_at = answered
                complaint.confirm_due = sla.confirm_due(answered.date(), coordinator_cal)
                events.append(("answered", answered, complaint.answer))
                stage = "answered"
                if roll < 0.32 and (local_now - answered).days > 2:
                    reopened = answered + timedelta(days=2)
                    complaint.status = Complaint.Status.DISPOSED
                    complaint.reopen_count = 1
                    complaint.confirm_due = None
                    complaint.follow_up_due = sla.follow_up_due(
                        reopened.date(), agency_cals[agency.pk], category.follow_up_days
                    )
                    events.append(("reopened", reopened, REOPEN))
                    stage = "reopened"
                elif roll < 0.70 and (local_now - answered).days > 1:
                    confirmed = answered + timedelta(days=1)
                    complaint.status = Complaint.Status.CLOSED
                    complaint.close_reason = Complaint.CloseReason.CONFIRMED
                    complaint.closed_at = confirmed
                    events.append(("confirmed", confirmed, ""))
                    stage = "confirmed"
        stats[stage] = stats.get(stage, 0) + 1
        rows.append(complaint)
        timelines.append(events)
    with transaction.atomic():
        Complaint.objects.bulk_create(rows, batch_size=500)
        ComplaintEvent.objects.bulk_create(
            (
                ComplaintEvent(complaint=complaint, kind=kind, at=at, note=note)
                for complaint, events in zip(rows, timelines, strict=True)
                for kind, at, note in events
            ),
            batch_size=1000,
        )
        audit_record(
            actor="demo",
            action="complaint.demo_load",
            record_type="complaints.complaint",
            record_id="demo",
            region_code=regency.code,
            summary={"complaints": len(rows), "seed": seed, **stats},
        )
    sla_run = services.complaints_sla_run(now=now)
    return {
        "complaints": count,
        "categories": len(categories),
        **stats,
        **sla_run,
        "open311_client": client.name,
    }


def clear_demo_complaints(regency: Region) -> int:
    from terpadu.complaints.models import Escalation

    Escalation.objects.filter(complaint__region=regency).delete()
    Complaint.objects.filter(region=regency, merged_into__isnull=False).delete()
    deleted, _ = Complaint.objects.filter(region=regency).delete()
    return deleted
