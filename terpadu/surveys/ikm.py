"""The IKM of PermenPANRB 14/2017, computed exactly. Pure Python: no Django here.

Steps (``docs/surveys.md``; domain reference §1):

1. ``NRR_u = Σ answers to unsur u / number of questionnaires that answered u``;
2. every unsur that was answered at least once weighs the same,
   ``bobot = 1 / number of such unsur`` (1/9 for the standard questionnaire);
3. ``IKM = Σ NRR_u × bobot × 25``;
4. only then round to 2 decimals (half up) and classify by the 2017 interval
   table: ≥ 88.31 A / Sangat baik, ≥ 76.61 B / Baik, ≥ 65.00 C / Kurang baik,
   otherwise D / Tidak baik.

Everything before step 4 is :class:`fractions.Fraction`, so no float rounding
creeps in (public worked examples that use a weight of 0.111 get other answers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "STANDARD_CODES",
    "IkmResult",
    "classify",
    "compute_ikm",
    "ikm_from_rows",
    "krejcie_morgan",
    "round_half_up",
]

STANDARD_CODES: tuple[str, ...] = tuple(f"U{i}" for i in range(1, 10))
SCALE = (1, 2, 3, 4)
CONVERSION = 25

# (lower bound of the converted IKM, mutu, kinerja) — PermenPANRB 14/2017.
INTERVALS: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang baik"),
    (Decimal("25.00"), "D", "Tidak baik"),
)


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, exactly (no float on the way)."""
    scale = 10**places
    scaled = value * scale
    sign = -1 if scaled < 0 else 1
    magnitude = abs(scaled)
    rounded = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    return Decimal(sign * rounded).scaleb(-places)


def classify(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja) of an IKM already rounded to 2 decimals."""
    for lower, mutu, kinerja in INTERVALS:
        if ikm >= lower:
            return mutu, kinerja
    return "D", "Tidak baik"


@dataclass(frozen=True)
class IkmResult:
    """The IKM of a set of questionnaires. ``nrr`` is exact; ``ikm`` is rounded once, at the end."""

    n: int
    totals: Mapping[str, tuple[int, int]]  # code -> (sum of answers, number of answers)
    nrr: Mapping[str, Fraction | None]
    ikm_exact: Fraction | None
    ikm: Decimal | None
    mutu: str | None
    kinerja: str | None
    codes: tuple[str, ...] = field(default=STANDARD_CODES)

    @property
    def weight(self) -> Fraction | None:
        answered = [c for c in self.codes if self.nrr.get(c) is not None]
        return Fraction(1, len(answered)) if answered else None

    def nrr_rounded(self, places: int = 3) -> dict[str, Decimal | None]:
        return {
            code: (None if value is None else round_half_up(value, places))
            for code, value in self.nrr.items()
        }

    def nrr_converted(self, code: str) -> Decimal | None:
        """One unsur's NRR on the 25–100 scale (for the per-unsur mutu column), 2 decimals."""
        value = self.nrr.get(code)
        return None if value is None else round_half_up(value * CONVERSION)

    def lowest(self) -> list[str]:
        """The unsur with the lowest NRR (ties all listed): the first to follow up."""
        answered = {c: v for c, v in self.nrr.items() if v is not None}
        if not answered:
            return []
        low = min(answered.values())
        return [c for c in self.codes if answered.get(c) == low]

    def as_dict(self, places: int = 3) -> dict[str, object]:
        return {
            "n": self.n,
            "nrr": {
                c: (None if v is None else float(v)) for c, v in self.nrr_rounded(places).items()
            },
            "ikm": None if self.ikm is None else float(self.ikm),
            "mutu": self.mutu,
            "kinerja": self.kinerja,
        }


def compute_ikm(
    totals: Mapping[str, tuple[int, int]], n: int, codes: Iterable[str] = STANDARD_CODES
) -> IkmResult:
    """IKM from per-unsur (sum, count) — the shape a SQL ``SUM``/``COUNT`` gives."""
    codes = tuple(codes)
    nrr: dict[str, Fraction | None] = {}
    for code in codes:
        total, count = totals.get(code, (0, 0))
        nrr[code] = Fraction(int(total), int(count)) if count else None
    answered = [v for v in nrr.values() if v is not None]
    if not answered:
        return IkmResult(n, dict(totals), nrr, None, None, None, None, codes)
    exact = sum(answered, Fraction(0)) * Fraction(1, len(answered)) * CONVERSION
    ikm = round_half_up(exact)
    mutu, kinerja = classify(ikm)
    return IkmResult(n, dict(totals), nrr, exact, ikm, mutu, kinerja, codes)


def ikm_from_rows(
    rows: Iterable[Mapping[str, int | None]], codes: Iterable[str] = STANDARD_CODES
) -> IkmResult:
    """IKM of questionnaires given as ``{"U1": 3, "U2": None, ...}``; blank = not answered."""
    codes = tuple(codes)
    sums = dict.fromkeys(codes, 0)
    counts = dict.fromkeys(codes, 0)
    n = 0
    for row in rows:
        answered = False
        for code in codes:
            value = row.get(code)
            if value is None:
                continue
            if value not in SCALE:
                raise ValueError(f"{code}: nilai {value!r} di luar skala 1–4")
            sums[code] += value
            counts[code] += 1
            answered = True
        n += answered
    return compute_ikm({c: (sums[c], counts[c]) for c in codes}, n, codes)


# Krejcie & Morgan (1970): S = X²·N·P(1−P) / (d²(N−1) + X²·P(1−P)),
# X² = 3.841 (1 df, 95 %), P = 0.5, d = 0.05, rounded to the nearest integer.
_CHI2 = Fraction(3841, 1000)
_PQ = Fraction(1, 4)
_D2 = Fraction(1, 400)


def krejcie_morgan(population: int) -> int:
    """Minimum number of respondents for ``population`` service users (nearest integer)."""
    if population <= 0:
        return 0
    size = _CHI2 * population * _PQ / (_D2 * (population - 1) + _CHI2 * _PQ)
    return int(round_half_up(size, 0))
