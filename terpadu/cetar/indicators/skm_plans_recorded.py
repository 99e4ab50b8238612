"""Akuntabel — SKM follow-up plans recorded."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(f.get("ft_skm_period", "with_plan"), f.get("ft_skm_period", "periods"))


INDICATOR = Indicator(
    id="skm_plans_recorded",
    letter="akuntabel",
    name_id="Rencana tindak lanjut SKM tercatat",
    name_en="SKM follow-up plans recorded",
    formula=(
        "Triwulan SKM instansi yang memiliki paling sedikit satu rencana tindak lanjut tercatat "
        "(untuk triwulan itu, semesternya atau tahunnya) ÷ triwulan instansi yang memiliki "
        "responden × 100 %"
    ),
    formula_en=(
        "agency SKM quarters with at least one recorded follow-up plan (for the quarter, its "
        "semester or its year) ÷ agency quarters with responses × 100 %"
    ),
    reads=("surveys.SurveyResponse: agency, local_date", "surveys.FollowUpPlan: agency, period"),
    facts=("ft_skm_period",),
    unit="%",
    direction="higher",
    target=100.0,
    caveats=("Triwulan yang sedang berjalan ikut dihitung.",),
    compute=compute,
    people=False,
)
