"""What each role sees first on its home page (the other apps add their cards here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from terpadu.accounts.models import Role


@dataclass(frozen=True)
class Card:
    title: str
    body: str
    url: str = ""
    link_text: str = ""


ROLE_INTRO = {
    Role.CITIZEN: _("Cari layanan, ajukan permohonan, dan pantau statusnya dari sini."),
    Role.FRONT_DESK: _(
        "Bantu warga di meja depan: ambil antrean, daftarkan permohonan, cari data penduduk."
    ),
    Role.AGENCY_OFFICER: _("Pekerjaan instansi Anda hari ini."),
    Role.AGENCY_HEAD: _("Kinerja dan tenggat layanan instansi Anda."),
    Role.SUPERVISOR: _("Pantau seluruh layanan di Mal Pelayanan Publik."),
    Role.FIELD_WORKER: _("Kasus lapangan yang ditugaskan kepada Anda."),
    Role.ADMIN: _("Kelola pengguna, kalender kerja, dan periksa rantai audit."),
}


def cards_for(user: Any) -> list[Card]:
    """Cards for the user's role from every app's ``home.cards(user)`` (this module's first)."""
    from terpadu.core.discovery import app_modules

    return [card for _label, module in app_modules("home") for card in module.cards(user)]


def cards(user: Any) -> list[Card]:
    """The foundation's cards. Empty states are honest: they say what is not there yet."""
    cards: list[Card] = []
    if user.role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD) and user.agency_id:
        cards.append(
            Card(
                title=str(user.agency),
                body=str(_("Profil, kontak, dan petugas instansi Anda.")),
                url=f"/kantor/instansi/{user.agency_id}/",
                link_text=str(_("Buka profil instansi")),
            )
        )
    if user.role in (Role.SUPERVISOR, Role.FRONT_DESK, Role.ADMIN):
        cards.append(
            Card(
                title=str(_("Instansi")),
                body=str(_("Semua instansi yang melayani di daerah Anda.")),
                url="/kantor/instansi/",
                link_text=str(_("Lihat daftar instansi")),
            )
        )
    if user.role in (
        Role.FRONT_DESK,
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SUPERVISOR,
        Role.FIELD_WORKER,
        Role.ADMIN,
    ):
        cards.append(
            Card(
                title=str(_("Data penduduk")),
                body=str(_("Cari penduduk menurut nama atau NIK. Setiap akses dicatat.")),
                url="/kantor/penduduk/",
                link_text=str(_("Cari penduduk")),
            )
        )
    if user.role == Role.ADMIN:
        cards.append(
            Card(
                title=str(_("Administrasi")),
                body=str(_("Pengguna, kalender kerja, hari libur daerah.")),
                url="/admin/",
                link_text=str(_("Buka administrasi")),
            )
        )
    # Citizens' applications and field workers' cases come from those apps' own cards.
    return cards
