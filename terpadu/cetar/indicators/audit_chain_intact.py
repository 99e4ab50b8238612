"""Akuntabel — the audit chain holds."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(f.get("ft_audit_day", "ok"), f.get("ft_audit_day", "checks"))


INDICATOR = Indicator(
    id="audit_chain_intact",
    letter="akuntabel",
    name_id="Rantai jejak audit utuh",
    name_en="Audit chain intact",
    formula=(
        "Hari pemeriksaan yang mendapati seluruh rantai jejak audit utuh (setiap entri cocok dengan "
        "sidik HMAC-nya dan jangkar yang tersimpan) ÷ hari yang diperiksa × 100 %"
    ),
    formula_en=(
        "days whose check found the whole audit chain intact (each entry matches its HMAC digest "
        "and the stored anchors) ÷ days checked × 100 %"
    ),
    reads=("core.AuditEntry via core.audit.verify_chain",),
    facts=("ft_audit_day",),
    unit="%",
    direction="higher",
    target=100.0,
    caveats=(
        "Rantai audit satu untuk seluruh instalasi: angka ini sama untuk semua instansi.",
        "Hasil pemeriksaan dicatat saat itu juga dan tidak dapat dihitung ulang untuk hari yang lalu.",
    ),
    compute=compute,
    people=False,
)
