"""Efektif & efisien — cost per transaction, where the agency enters its costs."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value


def compute(f: Facts) -> Value:
    cost = f.get("ft_cost_month", "cost")
    done = f.get("ft_cost_month", "transactions")
    if done <= 0:
        return Value(None, cost, done)
    return Value(cost / done, cost, done)


INDICATOR = Indicator(
    id="cost_per_transaction",
    letter="efektif",
    name_id="Biaya per transaksi",
    name_en="Cost per transaction",
    formula=(
        "Jumlah biaya penyelenggaraan layanan yang diisi instansi untuk bulan-bulan itu ÷ "
        "permohonan yang tuntas pada bulan-bulan yang sama (hanya bulan yang biayanya diisi)"
    ),
    formula_en=(
        "total cost of providing the services as entered by the agency for those months ÷ "
        "applications completed in the same months (only months with an entered cost) — GOV.UK"
    ),
    reads=("cetar.AgencyCost (entered monthly by the agency)", "ft_application_day.decided"),
    facts=("ft_cost_month",),
    unit="Rp",
    direction="lower",
    target=None,
    caveats=(
        "Hanya untuk instansi yang mengisi biayanya; tanpa isian: tidak ada data.",
        "Biaya mencakup semua saluran (pegawai, gedung, TI, cetak, dll.) sesuai isian instansi; "
        "Terpadu tidak memeriksa kelengkapannya.",
        "Belum ada target bawaan: bandingkan tren dan antarinstansi.",
    ),
    compute=compute,
    decimals=0,
)
