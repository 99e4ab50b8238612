"""The agencies serving at the Mal Pelayanan Publik (MPP) Banyuwangi.

MPP Banyuwangi (opened 6 Oct 2017 in the former Mall of Sritanjung building
next to Taman Sritanjung) hosted 233 services from 24 agencies in January 2022
(see the domain reference, section 7.4). The list below is a plausible set of
those agencies for the demo: regency offices, vertical agencies, state
companies and banks. The counter address is the MPP; phone numbers use the
Banyuwangi area code (0333) with an impossible ``000`` exchange and e-mail
addresses end in the reserved ``.invalid`` domain, so no demo contact can reach
a real office.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from terpadu.core.models import Agency, Region, WorkCalendar
from terpadu.demo.regions import MPP_CALENDAR_NAME, REGENCY_CODE

MPP_ADDRESS = "Mal Pelayanan Publik Banyuwangi, Jl. Sritanjung, Kepatihan, Kec. Banyuwangi"
MPP_HOURS = "Senin–Sabtu 08.00–14.00 WIB"
BANK_HOURS = "Senin–Jumat 08.00–14.00 WIB; Sabtu 08.00–12.00 WIB"


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    short_name: str
    kind: str
    opening_hours: str = MPP_HOURS

    @property
    def phone(self) -> str:
        return f"(0333) 000-{AGENCY_CODES.index(self.code) + 101:03d}"

    @property
    def email(self) -> str:
        return f"{self.code}@mpp-banyuwangi.demo.invalid"

    @property
    def address(self) -> str:
        return f"{MPP_ADDRESS} (loket {AGENCY_CODES.index(self.code) + 1})"


_R = Agency.Kind.REGENCY_OFFICE
_V = Agency.Kind.VERTICAL
_S = Agency.Kind.STATE_COMPANY
_B = Agency.Kind.BANK

AGENCIES: list[AgencySpec] = [
    AgencySpec("dukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil", _R),
    AgencySpec("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", _R),
    AgencySpec("dinkes", "Dinas Kesehatan", "Dinkes", _R),
    AgencySpec("dispendik", "Dinas Pendidikan", "Dispendik", _R),
    AgencySpec("dinsos", "Dinas Sosial", "Dinsos", _R),
    AgencySpec("bapenda", "Badan Pendapatan Daerah", "Bapenda", _R),
    AgencySpec("disnaker", "Dinas Tenaga Kerja", "Disnaker", _R),
    AgencySpec("dishub", "Dinas Perhubungan", "Dishub", _R),
    AgencySpec("samsat", "Kantor Bersama Samsat Banyuwangi", "Samsat", _V),
    AgencySpec("atr-bpn", "Kantor Pertanahan Kabupaten Banyuwangi (ATR/BPN)", "Kantah ATR/BPN", _V),
    AgencySpec("kemenag", "Kantor Kementerian Agama Kabupaten Banyuwangi", "Kemenag", _V),
    AgencySpec("imigrasi", "Kantor Imigrasi Kelas II TPI Banyuwangi", "Imigrasi", _V),
    AgencySpec("polresta", "Kepolisian Resor Kota Banyuwangi (layanan SKCK)", "Polresta", _V),
    AgencySpec("pengadilan-agama", "Pengadilan Agama Banyuwangi", "PA Banyuwangi", _V),
    AgencySpec("kejaksaan", "Kejaksaan Negeri Banyuwangi", "Kejari", _V),
    AgencySpec("kpp-pratama", "Kantor Pelayanan Pajak Pratama Banyuwangi", "KPP Pratama", _V),
    AgencySpec("bpjs-kesehatan", "BPJS Kesehatan Cabang Banyuwangi", "BPJS Kesehatan", _S),
    AgencySpec(
        "bpjs-ketenagakerjaan",
        "BPJS Ketenagakerjaan Cabang Banyuwangi",
        "BPJS Ketenagakerjaan",
        _S,
    ),
    AgencySpec("pdam", "Perusahaan Daerah Air Minum Kabupaten Banyuwangi", "PDAM", _S),
    AgencySpec("pln", "PT PLN (Persero) UP3 Banyuwangi", "PLN", _S),
    AgencySpec("taspen", "PT Taspen (Persero)", "Taspen", _S),
    AgencySpec("pos", "PT Pos Indonesia (Persero) Banyuwangi", "Pos Indonesia", _S),
    AgencySpec("jasa-raharja", "PT Jasa Raharja (Persero)", "Jasa Raharja", _S),
    AgencySpec("bank-jatim", "Bank Jatim Cabang Banyuwangi", "Bank Jatim", _B, BANK_HOURS),
]
AGENCY_CODES: list[str] = [a.code for a in AGENCIES]


@transaction.atomic
def load_agencies(regency_code: str = REGENCY_CODE) -> dict[str, int]:
    """Create or update the MPP's agencies (keyed by region + code)."""
    regency = Region.objects.get(code=regency_code)
    calendar = WorkCalendar.objects.filter(region=regency, name=MPP_CALENDAR_NAME).first()
    created = 0
    for spec in AGENCIES:
        _, was_created = Agency.objects.update_or_create(
            region=regency,
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "address": spec.address,
                "phone": spec.phone,
                "email": spec.email,
                "opening_hours": spec.opening_hours,
                "calendar": calendar,
            },
        )
        created += was_created
    return {"created": created, "total": len(AGENCIES)}
