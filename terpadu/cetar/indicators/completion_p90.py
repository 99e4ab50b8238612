"""Cepat — 90th percentile of working days from submission to decision."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, percentile


def compute(f: Facts) -> Value:
    return percentile(f.hist("ft_application_hist"), 0.9)


INDICATOR = Indicator(
    id="completion_p90",
    letter="cepat",
    name_id="Lama penyelesaian 90 % permohonan",
    name_en="90th percentile application completion time",
    formula=(
        "Persentil ke-90 (peringkat terdekat) hari kerja dari pengajuan sampai keputusan, "
        "tanpa masa perbaikan: 9 dari 10 permohonan selesai dalam waktu ini"
    ),
    formula_en=(
        "nearest-rank 90th percentile of working days from submission to decision, perbaikan "
        "excluded: 9 in 10 applications are decided within it"
    ),
    reads=(
        "applications.Application.submitted_at",
        "applications.ApplicationEvent: first outcome; entries into and exits from perbaikan",
        "core.WorkCalendar / LocalDay via core.calendars",
    ),
    facts=("ft_application_hist",),
    unit="hari kerja",
    direction="lower",
    target=7.0,
    caveats=("Nilai di atas 60 hari kerja dicatat sebagai 60.",),
    compute=compute,
    decimals=0,
)
