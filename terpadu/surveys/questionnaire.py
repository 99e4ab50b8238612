"""The questionnaire a respondent sees: the 9 standard unsur (by code) with the wording a
regency or a unit configured, then the unit's own added unsur.

The built-in wording follows the sample questionnaire of PermenPANRB 14/2017 as far as
the domain reference knows it (§1.2–1.3); the regulation's exact labels are not
confirmed, so every label is configuration (:class:`~terpadu.surveys.models.Unsur`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from terpadu.core.models import Agency
from terpadu.surveys.ikm import STANDARD_CODES
from terpadu.surveys.models import Unsur


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    question: str
    labels: tuple[str, str, str, str]  # value 1, 2, 3, 4
    standard: bool = True

    @property
    def field(self) -> str:
        return self.code.lower() if self.standard else f"x_{self.code}"


DEFAULT_ITEMS: tuple[Item, ...] = (
    Item(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Item(
        "U2",
        "Sistem, mekanisme, dan prosedur",
        "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    Item(
        "U3",
        "Waktu penyelesaian",
        "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    Item(
        "U4",
        "Biaya/tarif",
        "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    Item(
        "U5",
        "Produk spesifikasi jenis pelayanan",
        "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    Item(
        "U6",
        "Kompetensi pelaksana",
        "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    Item(
        "U7",
        "Perilaku pelaksana",
        "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan "
        "dan keramahan?",
        (
            "Tidak sopan dan ramah",
            "Kurang sopan dan ramah",
            "Sopan dan ramah",
            "Sangat sopan dan ramah",
        ),
    ),
    Item(
        "U8",
        "Sarana dan prasarana",
        "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat baik"),
    ),
    Item(
        "U9",
        "Penanganan pengaduan, saran, dan masukan",
        "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
        (
            "Tidak ada",
            "Ada tetapi tidak berfungsi",
            "Berfungsi kurang maksimal",
            "Dikelola dengan baik",
        ),
    ),
)
DEFAULTS = {item.code: item for item in DEFAULT_ITEMS}
assert tuple(DEFAULTS) == STANDARD_CODES


def _item(row: Unsur, standard: bool) -> Item:
    return Item(
        row.code,
        row.name,
        row.question,
        (row.label_1, row.label_2, row.label_3, row.label_4),
        standard,
    )


def questionnaire_for(agency: Agency) -> list[Item]:
    """U1–U9 in code order with the narrowest wording (unit > regency > built-in), then added unsur."""
    rows = list(
        Unsur.objects.filter(region_id=agency.region_id).filter(
            Q(agency__isnull=True) | Q(agency=agency)
        )
    )
    regency = {r.code: r for r in rows if r.agency_id is None}
    unit = {r.code: r for r in rows if r.agency_id is not None}
    items: list[Item] = []
    for code in STANDARD_CODES:
        row = unit.get(code) or regency.get(code)
        items.append(_item(row, True) if row is not None else DEFAULTS[code])
    extras = sorted(
        (r for r in [*regency.values(), *unit.values()] if r.code not in DEFAULTS and r.is_active),
        key=lambda r: (r.order, r.code),
    )
    seen: set[str] = set()
    for row in extras:
        if row.code in seen:
            continue
        seen.add(row.code)
        items.append(_item(unit.get(row.code, row), False))
    return items
