"""Home-page cards: the citizen's applications, the officer's worklist, the head's escalations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.accounts.models import Role
from terpadu.applications import selectors
from terpadu.applications.access import can_file_at_counter, is_agency_user


def cards(user: Any) -> list[Card]:
    role = getattr(user, "role", None)
    result: list[Card] = []
    if role == Role.CITIZEN:
        mine = list(selectors.my_applications(user).values_list("status", flat=True)[:200])
        open_count = sum(1 for s in mine if s not in ("selesai", "ditolak"))
        result.append(
            Card(
                title=_("Permohonan saya"),
                body=(
                    _("%(n)d permohonan, %(open)d masih berjalan.")
                    % {"n": len(mine), "open": open_count}
                    if mine
                    else _("Ajukan layanan secara daring dan pantau setiap langkahnya.")
                ),
                url="/permohonan/" if mine else "/permohonan/baru/",
                link_text=_("Lihat permohonan saya") if mine else _("Ajukan permohonan"),
            )
        )
    if is_agency_user(user):
        counts = selectors.worklist_counts(user)
        result.append(
            Card(
                title=_("Daftar kerja permohonan"),
                body=_(
                    "%(open)d terbuka: %(soon)d hampir jatuh tempo, %(late)d terlambat, "
                    "%(free)d belum ditugaskan."
                )
                % {
                    "open": counts["open"],
                    "soon": counts["due_soon"],
                    "late": counts["overdue"],
                    "free": counts["unassigned"],
                },
                url="/kantor/permohonan/",
                link_text=_("Buka daftar kerja"),
            )
        )
    if role in (Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN):
        escalated = selectors.escalations(user)
        total = escalated.count()
        if total:
            codes = ", ".join(a.display_code for a in escalated[:5])
            result.append(
                Card(
                    title=_("Eskalasi permohonan terlambat"),
                    body=_("%(n)d langkah melewati batas waktu: %(codes)s")
                    % {"n": total, "codes": codes},
                    url="/kantor/permohonan/?jam=terlambat",
                    link_text=_("Lihat yang terlambat"),
                )
            )
    if can_file_at_counter(user):
        result.append(
            Card(
                title=_("Permohonan di loket"),
                body=_("Daftarkan permohonan warga dan tautkan ke tiket antreannya."),
                url="/kantor/permohonan/baru/",
                link_text=_("Daftarkan permohonan"),
            )
        )
    return result
