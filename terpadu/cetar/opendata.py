"""Open data: the fact tables and the indicator series as CSV and JSON at stable URLs, with a
data dictionary, a licence note and a DCAT (``data.json``, Project Open Data v1.1) catalogue
that CKAN-based portals such as Satu Data Indonesia harvest.

No personal data leaves here: the internal per-counter/per-officer table is not published,
and every count of people from 1 to 4 is suppressed (empty), together with the sums that
rest on it (waiting seconds, SKM answer sums), so no one person's figures can be read off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from terpadu.cetar.indicators import INDICATORS
from terpadu.cetar.indicators.base import MIN_CELL
from terpadu.cetar.selectors import Slice, _where, measures, series

LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "note": (
        "Boleh disalin, diolah dan diterbitkan ulang dengan menyebut sumber: "
        "'Terpadu — indikator CETAR'. Angka orang 1–4 disembunyikan (kosong)."
    ),
}


@dataclass(frozen=True)
class Dataset:
    id: str
    table: str  # "" for the indicator series
    title: str
    description: str
    keys: tuple[str, ...]
    people: dict[str, str]  # column -> the people count it rests on (itself for counts)


def _self(*cols: str) -> dict[str, str]:
    return {c: c for c in cols}


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "indikator",
        "",
        "Seri bulanan indikator CETAR per kabupaten/kota",
        "Nilai setiap indikator CETAR per bulan dan kabupaten/kota, dengan pembilang dan penyebut.",
        ("bulan", "wilayah_kode", "wilayah", "indikator", "huruf"),
        {},
    ),
    Dataset(
        "antrean",
        "ft_queue_day",
        "Antrean MPP per hari, instansi dan layanan",
        "Tiket antrean: diambil, dipanggil, dilayani, tidak hadir, batal; jumlah detik menunggu "
        "dan dilayani.",
        ("day", "region", "agency", "service"),
        {
            **_self("issued", "called", "served", "no_show", "cancelled"),
            "wait_seconds": "called",
            "service_seconds": "served",
        },
    ),
    Dataset(
        "antrean-tunggu",
        "ft_queue_wait_hist",
        "Sebaran waktu tunggu antrean (menit)",
        "Jumlah tiket per menit tunggu (240 = 240 menit atau lebih).",
        ("day", "region", "agency", "service", "bucket"),
        _self("n"),
    ),
    Dataset(
        "permohonan",
        "ft_application_day",
        "Permohonan layanan per hari, instansi, layanan dan kecamatan",
        "Permohonan dimulai, diajukan (daring), diputus (daring, tepat waktu), disetujui, "
        "disetujui tanpa perbaikan. Kecamatan menurut NIK pemohon.",
        ("day", "region", "agency", "service", "district"),
        _self(
            "started",
            "submitted",
            "submitted_online",
            "decided",
            "decided_online",
            "decided_in_sla",
            "approved",
            "approved_first_time",
        ),
    ),
    Dataset(
        "permohonan-lama",
        "ft_application_hist",
        "Sebaran lama penyelesaian permohonan (hari kerja)",
        "Jumlah permohonan per hari kerja dari pengajuan sampai keputusan, tanpa masa perbaikan.",
        ("day", "region", "agency", "service", "district", "bucket"),
        _self("n"),
    ),
    Dataset(
        "pengaduan",
        "ft_complaint_day",
        "Pengaduan per hari, instansi, layanan dan kecamatan",
        "Pengaduan masuk (terbuka), disposisi (dijawab), tanggapan pertama (tepat waktu), jawaban "
        "pertama (dibuka kembali), ditutup (dikonfirmasi), eskalasi (diselesaikan).",
        ("day", "region", "agency", "service", "district"),
        _self(
            "submitted",
            "submitted_public",
            "disposed",
            "disposed_answered",
            "responded",
            "responded_in_time",
            "first_answered",
            "reopened",
            "closed",
            "closed_confirmed",
            "escalated",
            "escalations_resolved",
        ),
    ),
    Dataset(
        "pengaduan-tanggapan",
        "ft_complaint_hist",
        "Sebaran waktu tanggapan pertama pengaduan (hari kerja)",
        "Jumlah pengaduan per hari kerja dari masuk sampai tanggapan pertama.",
        ("day", "region", "agency", "service", "district", "bucket"),
        _self("n"),
    ),
    Dataset(
        "skm",
        "ft_survey_day",
        "Survei Kepuasan Masyarakat per hari, instansi dan layanan",
        "Jumlah kuesioner dan, per unsur U1–U9, jumlah nilai (s) dan jumlah jawaban (c): IKM "
        "sembarang periode = PermenPANRB 14/2017 atas jumlah-jumlah ini.",
        ("day", "region", "agency", "service"),
        {
            "n": "n",
            **{f"s{i}": f"c{i}" for i in range(1, 10)},
            **{f"c{i}": f"c{i}" for i in range(1, 10)},
        },
    ),
    Dataset(
        "standar-pelayanan",
        "ft_service_day",
        "Standar Pelayanan terbit per hari dan layanan",
        "Untuk setiap layanan aktif: terbit (1/0) dan lengkap 6 komponen penyampaian (1/0).",
        ("day", "region", "agency", "service"),
        {},
    ),
)
BY_ID = {d.id: d for d in DATASETS}

KEY_SQL = {
    "day": ("f.day", "tanggal"),
    "region": ("r.code", "wilayah_kode"),
    "agency": ("a.short_name", "instansi"),
    "service": ("s.name", "layanan"),
    "district": ("d.code", "kecamatan_kode"),
    "bucket": ("f.bucket", "nilai"),
}

COLUMN_DOC = {
    "tanggal": "Hari kejadian menurut waktu setempat (WIB), YYYY-MM-DD.",
    "wilayah_kode": "Kode wilayah Kemendagri kabupaten/kota (mis. 35.10).",
    "instansi": "Nama singkat instansi (OPD) penyelenggara.",
    "layanan": "Nama layanan pada katalog.",
    "kecamatan_kode": "Kode kecamatan Kemendagri (permohonan: dari NIK pemohon).",
    "nilai": "Nilai sebaran: menit (antrean) atau hari kerja (permohonan, pengaduan).",
    "n": "Jumlah orang/kejadian pada baris sebaran, atau jumlah kuesioner (SKM).",
}


def dictionary() -> list[dict[str, str]]:
    """Every column of every dataset with its meaning."""
    rows = []
    for d in DATASETS:
        for key in d.keys:
            name = KEY_SQL[key][1] if key in KEY_SQL else key
            rows.append({"dataset": d.id, "column": name, "meaning": COLUMN_DOC.get(name, name)})
        if d.table:
            for col in measures(d.table):
                base = d.people.get(col)
                note = ""
                if base:
                    note = f" Kosong bila {base} antara 1 dan {MIN_CELL - 1}."
                rows.append({"dataset": d.id, "column": col, "meaning": _doc(d, col) + note})
        else:
            for col, text in (
                ("nilai", "Nilai indikator (kosong = tidak ada data atau disembunyikan)."),
                ("pembilang", "Pembilang rumus (kosong untuk median/persentil)."),
                ("penyebut", "Penyebut rumus: jumlah kejadian/orang (atau triwulan, hari)."),
                ("satuan", "Satuan nilai."),
                ("target", "Target bawaan."),
            ):
                rows.append({"dataset": d.id, "column": col, "meaning": text})
    return rows


def _doc(d: Dataset, col: str) -> str:
    return {
        "wait_seconds": "Jumlah detik dari tiket diambil sampai dipanggil.",
        "service_seconds": "Jumlah detik pelayanan di loket.",
        "published": "1 bila layanan punya versi Standar Pelayanan terbit hari itu.",
        "complete": "1 bila keenam komponen penyampaian tercantum.",
        "services": "Jumlah baris (layanan-hari).",
    }.get(col, f"Jumlah '{col}' ({d.title.lower()}); lihat docs/indicators.md.")


def fact_rows(
    d: Dataset, first: date, last: date, region_ids: tuple[int, ...] | None
) -> tuple[list[str], list[list[Any]]]:
    """The dataset's rows in the range, names joined from the ``ft_dim_*`` snapshots, small cells
    suppressed."""
    cols = list(measures(d.table))
    cols = [c for c in cols if c != "services"]
    keys = list(d.keys)
    select = [KEY_SQL[k][0] for k in keys] + [f"f.{c}" for c in cols]
    joins = [
        "LEFT JOIN ft_dim_region r ON r.id = f.region_id",
        "LEFT JOIN ft_dim_agency a ON a.id = f.agency_id",
    ]
    if "service" in keys:
        joins.append("LEFT JOIN ft_dim_service s ON s.id = f.service_id")
    if "district" in keys:
        joins.append("LEFT JOIN ft_dim_region d ON d.id = f.district_id")
    s = Slice(first, last, region_ids=region_ids)
    clauses, params = _where(d.table, s)
    clauses = [f"f.{c}" if c.startswith(("day", "region_id")) else c for c in clauses]
    sql = (
        f"SELECT {', '.join(select)} FROM {d.table} f {' '.join(joins)} "  # noqa: S608
        f"WHERE {' AND '.join(clauses)} ORDER BY {', '.join(KEY_SQL[k][0] for k in keys)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw = cursor.fetchall()
    header = [KEY_SQL[k][1] for k in keys] + cols
    out = []
    width = len(keys)
    for row in raw:
        values = list(row)
        values[0] = str(values[0])
        measures_by_name = dict(zip(cols, values[width:], strict=True))
        for i, col in enumerate(cols):
            base = d.people.get(col)
            if base and 0 < int(measures_by_name.get(base) or 0) < MIN_CELL:
                values[width + i] = None
            elif values[width + i] is not None:
                values[width + i] = int(values[width + i])
        out.append(values)
    return header, out


def indicator_rows(
    first: date, last: date, regions: list[tuple[int, str, str]]
) -> tuple[list[str], list[list[Any]]]:
    """Monthly value, numerator and denominator of every indicator for each regency."""
    header = [
        "bulan",
        "wilayah_kode",
        "wilayah",
        "indikator",
        "huruf",
        "nilai",
        "pembilang",
        "penyebut",
        "satuan",
        "target",
    ]
    out: list[list[Any]] = []
    for region_id, code, name in regions:
        s = Slice(first, last, region_ids=(region_id,))
        for indicator in INDICATORS:
            for key, row in series(s, indicator, "month"):
                v = row.value
                hidden = v.note == "disembunyikan"
                out.append(
                    [
                        key,
                        code,
                        name,
                        indicator.id,
                        indicator.letter,
                        None if v.value is None else round(v.value, 4),
                        None if hidden or v.numerator is None else round(v.numerator, 4),
                        None if hidden or v.denominator is None else round(v.denominator, 4),
                        indicator.unit,
                        indicator.target,
                    ]
                )
    return header, out


def catalog(base_url: str, *, publisher: str, email: str, modified: date) -> dict[str, Any]:
    """A Project Open Data v1.1 (DCAT-US) catalogue of every dataset, CKAN-harvestable."""
    datasets = []
    for d in DATASETS:
        url = f"{base_url}/cetar/data/{d.id}"
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "identifier": f"{base_url}/cetar/data/{d.id}",
                "title": d.title,
                "description": d.description,
                "keyword": ["CETAR", "pelayanan publik", "kinerja", d.id],
                "modified": modified.isoformat(),
                "publisher": {"@type": "org:Organization", "name": publisher},
                "contactPoint": {
                    "@type": "vcard:Contact",
                    "fn": publisher,
                    "hasEmail": f"mailto:{email}",
                },
                "accessLevel": "public",
                "license": LICENCE["url"],
                "rights": LICENCE["note"],
                "spatial": "Jawa Timur, Indonesia",
                "accrualPeriodicity": "R/P1D",
                "language": ["id"],
                "describedBy": f"{base_url}/cetar/data/kamus.json",
                "describedByType": "application/json",
                "landingPage": f"{base_url}/cetar/data/",
                "distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "title": f"{d.title} (CSV)",
                        "downloadURL": f"{url}.csv",
                        "mediaType": "text/csv",
                        "format": "CSV",
                    },
                    {
                        "@type": "dcat:Distribution",
                        "title": f"{d.title} (JSON)",
                        "downloadURL": f"{url}.json",
                        "mediaType": "application/json",
                        "format": "JSON",
                    },
                ],
            }
        )
    return {
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": f"{base_url}/cetar/data.json",
        "@type": "dcat:Catalog",
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets,
    }


__all__ = ["BY_ID", "DATASETS", "LICENCE", "catalog", "dictionary", "fact_rows", "indicator_rows"]
