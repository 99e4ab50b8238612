"""Transparan — SKM results published on time."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(f.get("ft_skm_period", "published_on_time"), f.get("ft_skm_period", "periods"))


INDICATOR = Indicator(
    id="skm_published_on_time",
    letter="transparan",
    name_id="Hasil SKM diumumkan tepat waktu",
    name_en="SKM results published on time",
    formula=(
        "Triwulan SKM instansi yang hasil dan rencana tindak lanjutnya diumumkan paling lambat 30 "
        "hari setelah periode rencana itu berakhir ÷ triwulan instansi yang memiliki responden × 100 %"
    ),
    formula_en=(
        "agency SKM quarters whose follow-up plan (with the published IKM) was published at most "
        "30 days after the plan's period ended ÷ agency quarters with responses × 100 %"
    ),
    reads=(
        "surveys.SurveyResponse: agency, local_date",
        "surveys.FollowUpPlan: period, is_published, published_at",
    ),
    facts=("ft_skm_period",),
    unit="%",
    direction="higher",
    target=100.0,
    caveats=(
        "Nilai IKM sendiri selalu tampil di laporan publik SKM; yang diukur di sini adalah "
        "pengumuman hasil beserta rencana tindak lanjutnya.",
        "Rencana untuk satu tahun atau semester menutup triwulan di dalamnya; batasnya 30 hari "
        "setelah akhir periode rencana.",
        "Triwulan yang sedang berjalan ikut dihitung sebagai belum diumumkan.",
    ),
    compute=compute,
    people=False,
)
