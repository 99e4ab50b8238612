"""Responsif — the IKM's trend: change against the previous period of the same length."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value
from terpadu.cetar.indicators.ikm import ikm_of


def compute(f: Facts) -> Value:
    if f.previous is None:
        return Value(None, note="periode sebelumnya tidak tersedia")
    now, before = ikm_of(f), ikm_of(f.previous)
    if now.value is None or before.value is None:
        return Value(None, now.value, before.value)
    return Value(round(now.value - before.value, 2), now.value, before.value)


INDICATOR = Indicator(
    id="ikm_change",
    letter="responsif",
    name_id="Perubahan IKM",
    name_en="IKM trend",
    formula="IKM periode ini − IKM periode sebelumnya yang sama panjangnya (poin)",
    formula_en="IKM of this period − IKM of the previous period of the same length (points)",
    reads=("surveys.SurveyResponse: u1 … u9, local_date",),
    facts=("ft_survey_day",),
    unit="poin",
    direction="higher",
    target=0.0,
    caveats=("Tanpa responden pada salah satu periode: tidak ada data.",),
    compute=compute,
    people=False,
    decimals=2,
)
