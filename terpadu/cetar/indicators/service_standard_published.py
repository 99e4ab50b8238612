"""Transparan — share of services publishing all 6 service-delivery components."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    # service-days: each day's snapshot counts once, so a period is the average of its days
    return ratio(f.get("ft_service_day", "complete"), f.get("ft_service_day", "services"))


INDICATOR = Indicator(
    id="service_standard_published",
    letter="transparan",
    name_id="Layanan dengan Standar Pelayanan lengkap terbit",
    name_en="Services publishing all six service-delivery components",
    formula=(
        "Layanan aktif yang versi terbitnya memuat keenam komponen penyampaian pelayanan "
        "(persyaratan; sistem, mekanisme dan prosedur; jangka waktu; biaya/tarif; produk; "
        "penanganan pengaduan) ÷ semua layanan aktif × 100 %, rata-rata harian pada periode itu"
    ),
    formula_en=(
        "active services whose published version shows all six service-delivery components "
        "(PermenPANRB 15/2014) ÷ all active services × 100 %, averaged over the period's days"
    ),
    reads=(
        "catalog.Service (is_active, agency)",
        "catalog.ServiceVersion: published_at and the six delivery fields",
    ),
    facts=("ft_service_day",),
    unit="%",
    direction="higher",
    target=100.0,
    caveats=(
        "Biaya dianggap tercantum bila gratis (Rp 0) atau dasar hukum tarifnya diisi.",
        "Untuk hari yang lalu dipakai versi yang terbit paling akhir sebelum akhir hari itu; "
        "status aktif layanan diambil dari keadaan sekarang.",
    ),
    compute=compute,
    people=False,
)
