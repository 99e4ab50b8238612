"""Cepat — median waiting time in the hall (ticket taken → called)."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, percentile


def compute(f: Facts) -> Value:
    return percentile(f.hist("ft_queue_wait_hist"), 0.5)


INDICATOR = Indicator(
    id="hall_wait_median",
    letter="cepat",
    name_id="Median waktu tunggu di MPP",
    name_en="Median waiting time in the hall",
    formula="Median (peringkat terdekat) menit dari tiket diambil sampai dipanggil ke loket",
    formula_en="nearest-rank median of whole minutes from taking a ticket to being called",
    reads=("queueing.Ticket: issued_at, called_at, group/counter/service",),
    facts=("ft_queue_wait_hist",),
    unit="menit",
    direction="lower",
    target=15.0,
    caveats=(
        "Hanya tiket yang sudah dipanggil; tiket yang masih menunggu atau batal tidak dihitung.",
        "Tiket pindahan loket dihitung sebagai tiket tersendiri (menunggu lagi).",
        "Dibulatkan ke bawah per menit; 240 berarti 240 menit atau lebih.",
    ),
    compute=compute,
    decimals=0,
)
