"""Efektif & efisien — counter utilisation in the hall."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(f.get("ft_counter_day", "busy_seconds"), f.get("ft_counter_day", "span_seconds"))


INDICATOR = Indicator(
    id="counter_utilisation",
    letter="efektif",
    name_id="Keterpakaian loket",
    name_en="Counter utilisation",
    formula=(
        "Waktu loket melayani (dipanggil sampai selesai) ÷ waktu loket dipakai (panggilan pertama "
        "sampai layanan terakhir selesai pada hari itu) × 100 %"
    ),
    formula_en=(
        "time counters spent serving (called → finished) ÷ time each counter was in use that day "
        "(first call → last finish) × 100 %"
    ),
    reads=("queueing.Ticket: counter, officer, called_at, finished_at",),
    facts=("ft_counter_day",),
    unit="%",
    direction="higher",
    target=70.0,
    caveats=(
        "Jam buka loket yang sebenarnya belum dicatat; rentang pemakaian diambil dari panggilan "
        "pertama sampai layanan terakhir, sehingga loket yang buka tanpa antrean tidak terhitung "
        "menganggur.",
        "Angka tinggi terus-menerus bisa berarti loket kurang, bukan efisien.",
    ),
    compute=compute,
    people=False,
)
