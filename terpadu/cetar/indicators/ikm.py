"""Responsif — the IKM (PermenPANRB 14/2017), computed by terpadu.surveys.ikm."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value
from terpadu.surveys.ikm import compute_ikm


def ikm_of(f: Facts) -> Value:
    n = int(f.get("ft_survey_day", "n"))
    totals = {
        f"U{i}": (int(f.get("ft_survey_day", f"s{i}")), int(f.get("ft_survey_day", f"c{i}")))
        for i in range(1, 10)
    }
    result = compute_ikm(totals, n)
    if result.ikm is None:
        return Value(None, None, n)
    return Value(float(result.ikm), None, n, note=f"{result.mutu} ({result.kinerja})")


INDICATOR = Indicator(
    id="ikm",
    letter="responsif",
    name_id="Indeks Kepuasan Masyarakat (IKM)",
    name_en="Public satisfaction index (IKM)",
    formula=(
        "IKM PermenPANRB 14/2017: rata-rata nilai per unsur (NRR) × bobot sama (1/9) × 25, "
        "dibulatkan 2 desimal sekali di akhir; mutu A ≥ 88,31, B ≥ 76,61, C ≥ 65,00"
    ),
    formula_en=(
        "IKM of PermenPANRB 14/2017: per-unsur mean (NRR) × equal weight (1/9) × 25, rounded to 2 "
        "decimals once at the end (terpadu.surveys.ikm.compute_ikm on summed answers)"
    ),
    reads=("surveys.SurveyResponse: u1 … u9, agency, service, local_date",),
    facts=("ft_survey_day",),
    unit="indeks",
    direction="higher",
    target=76.61,
    caveats=(
        "Target bawaan = batas bawah mutu B (Baik).",
        "Periksa kecukupan sampel (Krejcie & Morgan) di laporan SKM instansi.",
    ),
    compute=ikm_of,
    decimals=2,
)
