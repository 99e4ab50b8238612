"""Cepat — share of applications decided within their service's SLA."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(
        f.get("ft_application_day", "decided_in_sla"), f.get("ft_application_day", "decided")
    )


INDICATOR = Indicator(
    id="sla_compliance",
    letter="cepat",
    name_id="Permohonan selesai tepat waktu",
    name_en="Applications decided within the service standard time",
    formula=(
        "Permohonan yang diputus (disetujui atau ditolak) paling lambat pada batas waktu layanan "
        "÷ semua permohonan yang diputus pada periode itu × 100 %"
    ),
    formula_en=(
        "applications decided (approved or rejected) by their service-level due moment ÷ all "
        "applications decided in the period × 100 %"
    ),
    reads=(
        "applications.ApplicationEvent: first arrival at an outcome state (the decision)",
        "applications.Application.due_at: the SLA due moment in working days, perbaikan pauses added back",
    ),
    facts=("ft_application_day",),
    unit="%",
    direction="higher",
    target=90.0,
    caveats=(
        "Batas waktu mengikuti jangka waktu pada Standar Pelayanan versi yang berlaku saat permohonan "
        "diajukan; masa perbaikan oleh pemohon tidak dihitung.",
        "Dihitung pada hari keputusan (WIB); permohonan yang belum diputus belum masuk.",
    ),
    compute=compute,
)
