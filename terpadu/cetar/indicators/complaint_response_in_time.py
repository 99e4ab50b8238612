"""Tanggap — share of first responses within the limit."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(
        f.get("ft_complaint_day", "responded_in_time"), f.get("ft_complaint_day", "responded")
    )


INDICATOR = Indicator(
    id="complaint_response_in_time",
    letter="tanggap",
    name_id="Pengaduan ditanggapi tepat waktu",
    name_en="Complaints first answered within the limit",
    formula=(
        "Tanggapan pertama yang tepat waktu ÷ semua tanggapan pertama × 100 %. Tepat waktu: jawaban "
        "instansi paling lambat N hari kerja setelah disposisi (N = batas kategori, bawaan 5; "
        "SP4N-LAPOR!), atau penolakan paling lambat 3 hari kerja setelah pengaduan masuk"
    ),
    formula_en=(
        "first responses in time ÷ all first responses × 100 %; in time = the agency's answer at "
        "most N working days after disposition (N = the category's limit, default 5), or a "
        "rejection at most 3 working days after submission"
    ),
    reads=(
        "complaints.ComplaintEvent: first 'answered' or 'rejected'",
        "complaints.Complaint: disposed_at, verify_due, category.follow_up_days",
        "core.WorkCalendar via core.calendars",
    ),
    facts=("ft_complaint_day",),
    unit="%",
    direction="higher",
    target=90.0,
    caveats=(
        "Batas diambil dari kategori saat ini; jika batas kategori diubah, hitung ulang hari yang "
        "lalu untuk memakai batas baru.",
    ),
    compute=compute,
)
