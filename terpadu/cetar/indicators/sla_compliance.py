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
        "Permohonan yang diputus (disetujui atau ditolak) dalam jangka waktu Standar Pelayanan "
        "÷ semua permohonan yang diputus pada periode itu × 100 %. Dalam jangka waktu: hari kerja "
        "dari pengajuan sampai keputusan, tanpa hari kerja selama perbaikan, tidak melebihi "
        "jangka waktu layanan"
    ),
    formula_en=(
        "applications decided (approved or rejected) within the service standard time ÷ all "
        "applications decided in the period × 100 %; within = working days from submission to "
        "decision, minus the working days in perbaikan, at most the service's completion time"
    ),
    reads=(
        "applications.Application.submitted_at, service_version",
        "applications.ApplicationEvent: first arrival at an outcome state (the decision); "
        "entries into and exits from perbaikan",
        "catalog.ServiceVersion: completion_time_value, completion_time_unit",
        "core.WorkCalendar / LocalDay via core.calendars (the agency's working days)",
    ),
    facts=("ft_application_day",),
    unit="%",
    direction="higher",
    target=90.0,
    caveats=(
        "Batas waktu mengikuti jangka waktu pada Standar Pelayanan versi yang berlaku saat permohonan "
        "diajukan; masa perbaikan oleh pemohon tidak dihitung.",
        "Keputusan pada hari kerja terakhir dihitung tepat waktu walau setelah jam tutup kantor; "
        "jangka waktu dalam jam dibulatkan ke atas menjadi hari kerja (8 jam = 1 hari).",
        "Dihitung pada hari keputusan (WIB); permohonan yang belum diputus belum masuk.",
    ),
    compute=compute,
)
