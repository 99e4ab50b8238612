"""Cepat — median working days from submission to decision (perbaikan pauses excluded)."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, percentile


def compute(f: Facts) -> Value:
    return percentile(f.hist("ft_application_hist"), 0.5)


INDICATOR = Indicator(
    id="completion_median",
    letter="cepat",
    name_id="Median lama penyelesaian permohonan",
    name_en="Median application completion time",
    formula=(
        "Median (peringkat terdekat) jumlah hari kerja dari hari pengajuan sampai hari keputusan, "
        "dikurangi hari kerja selama perbaikan oleh pemohon"
    ),
    formula_en=(
        "nearest-rank median of working days from the submission day to the decision day, minus "
        "the working days spent in perbaikan (waiting for the applicant)"
    ),
    reads=(
        "applications.Application.submitted_at",
        "applications.ApplicationEvent: first outcome; entries into and exits from perbaikan",
        "core.WorkCalendar / LocalDay via core.calendars (the agency's working days)",
    ),
    facts=("ft_application_hist",),
    unit="hari kerja",
    direction="lower",
    target=3.0,
    caveats=(
        "0 hari kerja = diputus pada hari kerja yang sama dengan pengajuan.",
        "Nilai di atas 60 hari kerja dicatat sebagai 60.",
    ),
    compute=compute,
    decimals=0,
)
