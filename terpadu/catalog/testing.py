"""Test helpers for the catalogue (also used by other apps' tests): published services in one call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from terpadu.accounts.models import Role, User
from terpadu.catalog.models import Service
from terpadu.catalog.services import service_create, service_version_publish
from terpadu.core.models import Agency

FULL_CONTENT: dict[str, Any] = {
    "requirements": [
        {"document": "Surat keterangan kelahiran dari bidan/rumah sakit", "note": "asli"},
        {"document": "Kartu Keluarga (KK) orang tua", "note": ""},
        {"document": "KTP-el kedua orang tua", "note": "fotokopi"},
    ],
    "procedure": [
        "Ambil nomor antrean di loket Dispendukcapil",
        "Serahkan berkas persyaratan kepada petugas",
        "Petugas memverifikasi dan menerbitkan akta",
    ],
    "completion_time_value": 1,
    "completion_time_unit": "working_days",
    "fee_amount": 0,
    "fee_legal_basis": "UU No. 24 Tahun 2013 Pasal 79A: tidak dipungut biaya",
    "product": "Kutipan Akta Kelahiran",
    "complaint_channel": "SP4N-LAPOR!, kotak pengaduan MPP, WhatsApp pengaduan",
    "legal_basis": "UU No. 23 Tahun 2006 jo. UU No. 24 Tahun 2013",
    "facilities": "Ruang tunggu, kursi roda, ruang laktasi, loket prioritas",
    "staff_competence": "Memahami administrasi kependudukan; bersertifikat SIAK",
    "internal_control": "Pengawasan atasan langsung dan Inspektorat",
    "staff_count": "3 orang",
    "service_guarantee": "Gratis, selesai 1 hari kerja",
    "safety_guarantee": "Data pribadi dilindungi sesuai UU PDP",
    "performance_evaluation": "Survei kepuasan masyarakat tiap semester",
}


def head_of(agency: Agency) -> User:
    """The agency's head (created if missing)."""
    head = User.objects.filter(role=Role.AGENCY_HEAD, agency=agency).first()
    if head is None:
        head = User.objects.create(
            username=f"kepala-{agency.code}-{agency.pk}",
            role=Role.AGENCY_HEAD,
            agency=agency,
            region=agency.region,
        )
    return head


def make_service(
    *,
    agency: Agency,
    code: str,
    name: str,
    aliases: tuple[str, ...] | list[str] = (),
    publish: bool = True,
    effective_date: dt.date | None = None,
    **content: Any,
) -> Service:
    """A service of ``agency`` with full content; published by the agency's head unless told."""
    head = head_of(agency)
    data = {**FULL_CONTENT, **content}
    service = service_create(
        actor=head, agency=agency, code=code, name=name, aliases=list(aliases), content=data
    )
    if publish:
        service_version_publish(actor=head, service=service, effective_date=effective_date)
        service.refresh_from_db()
    return service
