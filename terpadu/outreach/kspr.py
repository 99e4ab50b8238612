"""Kartu Skor Poedji Rochjati (KSPR): the score, the risk group and the recommendation.

Pure Python, no Django (``terpadu kspr`` and the midwife's form both call :func:`score`).
See ``domain.md`` §4: every pregnant woman starts at 2; each ticked item adds 4, except
items 10, 17, 18, 19 and 20, which add 8. Several diseases of item 11 (a–f) add up: each
ticked sub-item adds 4, as the card's separate boxes imply. Totals are therefore always
2 + 4k (2, 6, 10, 14 …): a total of 12 cannot occur.

Groups: KRR (2, green), KRT (6–10, yellow), KRST (≥ 12, red).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ALIASES",
    "GROUPS",
    "ITEMS",
    "KsprError",
    "KsprItem",
    "KsprResult",
    "group_for",
    "parse_items",
    "score",
]

INITIAL_SCORE = 2


@dataclass(frozen=True)
class KsprItem:
    code: str
    group: str  # "I", "II", "III"
    label: str
    points: int
    alias: str


ITEMS: tuple[KsprItem, ...] = (
    KsprItem("1", "I", "Terlalu muda, hamil I ≤ 16 tahun", 4, "too-young"),
    KsprItem("2a", "I", "Terlalu lambat hamil I, kawin ≥ 4 tahun", 4, "late-first-pregnancy"),
    KsprItem("2b", "I", "Terlalu tua, hamil I ≥ 35 tahun", 4, "old-first-pregnancy"),
    KsprItem("3", "I", "Terlalu cepat hamil lagi (< 2 tahun)", 4, "short-spacing"),
    KsprItem("4", "I", "Terlalu lama hamil lagi (≥ 10 tahun)", 4, "long-spacing"),
    KsprItem("5", "I", "Terlalu banyak anak, 4 atau lebih", 4, "many-children"),
    KsprItem("6", "I", "Terlalu tua, umur ≥ 35 tahun", 4, "age-over-35"),
    KsprItem("7", "I", "Terlalu pendek ≤ 145 cm", 4, "short-stature"),
    KsprItem("8", "I", "Pernah gagal kehamilan", 4, "previous-loss"),
    KsprItem("9a", "I", "Pernah melahirkan dengan tarikan tang/vakum", 4, "forceps-vacuum"),
    KsprItem("9b", "I", "Pernah melahirkan dengan uri dirogoh", 4, "manual-placenta"),
    KsprItem("9c", "I", "Pernah melahirkan dengan diberi infus/transfusi", 4, "infusion"),
    KsprItem("10", "I", "Pernah operasi sesar", 8, "previous-caesarean"),
    KsprItem("11a", "II", "Penyakit pada ibu hamil: kurang darah", 4, "anemia"),
    KsprItem("11b", "II", "Penyakit pada ibu hamil: malaria", 4, "malaria"),
    KsprItem("11c", "II", "Penyakit pada ibu hamil: TBC paru", 4, "tuberculosis"),
    KsprItem("11d", "II", "Penyakit pada ibu hamil: payah jantung", 4, "heart-failure"),
    KsprItem("11e", "II", "Penyakit pada ibu hamil: kencing manis (diabetes)", 4, "diabetes"),
    KsprItem("11f", "II", "Penyakit pada ibu hamil: penyakit menular seksual", 4, "sti"),
    KsprItem(
        "12",
        "II",
        "Bengkak pada muka/tungkai dan tekanan darah tinggi",
        4,
        "oedema-hypertension",
    ),
    KsprItem("13", "II", "Hamil kembar 2 atau lebih", 4, "twins"),
    KsprItem("14", "II", "Hamil kembar air (hydramnion)", 4, "hydramnion"),
    KsprItem("15", "II", "Bayi mati dalam kandungan", 4, "fetal-death"),
    KsprItem("16", "II", "Kehamilan lebih bulan", 4, "post-term"),
    KsprItem("17", "II", "Letak sungsang", 8, "breech"),
    KsprItem("18", "II", "Letak lintang", 8, "transverse-lie"),
    KsprItem("19", "III", "Perdarahan dalam kehamilan ini", 8, "bleeding"),
    KsprItem("20", "III", "Preeklampsia berat/kejang-kejang", 8, "severe-preeclampsia"),
)
BY_CODE: dict[str, KsprItem] = {item.code: item for item in ITEMS}
ALIASES: dict[str, str] = {item.alias: item.code for item in ITEMS}
GROUP_NAMES = {
    "I": "Ada Potensi Gawat Obstetrik (APGO)",
    "II": "Ada Gawat Obstetrik (AGO)",
    "III": "Ada Gawat Darurat Obstetrik (AGDO)",
}


@dataclass(frozen=True)
class RiskGroup:
    code: str
    name: str
    colour: str
    care: str
    referral: str
    place: str
    attendant: str


GROUPS: dict[str, RiskGroup] = {
    "KRR": RiskGroup(
        "KRR",
        "Kehamilan Risiko Rendah",
        "hijau",
        "Bidan",
        "Tidak dirujuk",
        "Rumah / Polindes",
        "Bidan",
    ),
    "KRT": RiskGroup(
        "KRT",
        "Kehamilan Risiko Tinggi",
        "kuning",
        "Bidan, dokter",
        "Bidan / Puskesmas",
        "Polindes / Puskesmas / Rumah sakit",
        "Bidan / dokter",
    ),
    "KRST": RiskGroup(
        "KRST",
        "Kehamilan Risiko Sangat Tinggi",
        "merah",
        "Dokter",
        "Rumah sakit (rujukan langsung)",
        "Rumah sakit",
        "Dokter",
    ),
}


class KsprError(ValueError):
    """Unknown item code (or a malformed list)."""


@dataclass(frozen=True)
class KsprResult:
    score: int
    group: str
    items: tuple[str, ...]

    @property
    def risk(self) -> RiskGroup:
        return GROUPS[self.group]

    def as_dict(self) -> dict[str, object]:
        risk = self.risk
        return {
            "score": self.score,
            "group": self.group,
            "group_name": risk.name,
            "colour": risk.colour,
            "place": risk.place,
            "attendant": risk.attendant,
            "referral": risk.referral,
            "care": risk.care,
            "items": list(self.items),
        }


def group_for(total: int) -> str:
    """KRR for 2, KRT for 6–10, KRST for 12 and above; anything else is a data error."""
    if total < INITIAL_SCORE or (total - INITIAL_SCORE) % 4:
        raise KsprError(f"skor {total} tidak mungkin (skor selalu 2 + 4k)")
    if total == INITIAL_SCORE:
        return "KRR"
    if total <= 10:
        return "KRT"
    return "KRST"


def _normalise(code: str) -> str:
    raw = str(code).strip().lower()
    return ALIASES.get(raw, raw)


def parse_items(items: Iterable[str]) -> tuple[str, ...]:
    """Item codes (or English aliases) → card codes in card order; a code ticked twice counts once."""
    seen: set[str] = set()
    for raw in items:
        code = _normalise(raw)
        if not code:
            continue
        if code not in BY_CODE:
            raise KsprError(f"butir KSPR tidak dikenal: {str(raw)[:20]!r}")
        seen.add(code)
    return tuple(item.code for item in ITEMS if item.code in seen)


def score(items: Iterable[str]) -> KsprResult:
    """The KSPR total, group and recommendation for the ticked items."""
    codes = parse_items(items)
    total = INITIAL_SCORE + sum(BY_CODE[c].points for c in codes)
    return KsprResult(score=total, group=group_for(total), items=codes)


def items_from_text(text: str) -> list[str]:
    """``"1,10,17"`` or ``'["1", "10"]'`` → a list of raw codes (for the CLI and API)."""
    text = text.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise KsprError(f"daftar JSON tidak sah: {exc.msg}") from None
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise KsprError("daftar JSON harus berisi kode butir (teks)")
        return [str(v) for v in value]
    return [part for part in (p.strip() for p in text.split(",")) if part]
