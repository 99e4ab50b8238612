"""Home-page cards: a field worker's due and overdue cases, the programme reports for
supervisors and agencies, the reporter's page, the pharmacy's delivery list."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.outreach import selectors
from terpadu.outreach.access import pharmacy_agency_id, programmes_for_user, reporter_of


def cards(user: Any) -> list[Card]:
    out: list[Card] = []
    role = getattr(user, "role", None)
    if role == Role.FIELD_WORKER or role in AGENCY_ROLES:
        counts = selectors.due_counts(user, today=timezone.localdate())
        if counts["open"] or role == Role.FIELD_WORKER:
            out.append(
                Card(
                    title=_("Kasus lapangan saya"),
                    body=_(
                        "%(overdue)s lewat tenggat, %(today)s jatuh tempo hari ini, %(open)s terbuka."
                    )
                    % {
                        "overdue": counts["overdue"],
                        "today": counts["due_today"],
                        "open": counts["open"],
                    },
                    url="/lapangan/",
                    link_text=_("Buka daftar kerja"),
                )
            )
    if role in (Role.SUPERVISOR, Role.ADMIN) or (
        role in AGENCY_ROLES and programmes_for_user(user).exists()
    ):
        out.append(
            Card(
                title=_("Program jemput bola"),
                body=_(
                    "Garda Ampuh, Pemburu Bumil Risti, Gancang Aron: rekap per kecamatan dan desa."
                ),
                url="/program/",
                link_text=_("Lihat rekap program"),
            )
        )
    if pharmacy_agency_id(user) is not None:
        out.append(
            Card(
                title=_("Antar obat (Gancang Aron)"),
                body=_("Resep yang menunggu kurir dan pengiriman yang perlu perhatian."),
                url="/farmasi/",
                link_text=_("Buka daftar farmasi"),
            )
        )
    if role == Role.CITIZEN and reporter_of(user) is not None:
        out.append(
            Card(
                title=_("Lapor warga"),
                body=_("Laporkan ibu hamil baru atau anak putus sekolah, juga saat sinyal lemah."),
                url="/lapor/",
                link_text=_("Buka halaman lapor"),
            )
        )
    return out
