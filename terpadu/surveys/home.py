"""Home-page card: the unit's survey link and its IKM report."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.accounts.models import Role


def cards(user: Any) -> list[Card]:
    role = getattr(user, "role", None)
    if role in (Role.AGENCY_HEAD, Role.AGENCY_OFFICER) and user.agency_id:
        return [
            Card(
                title=_("Survei kepuasan (SKM)"),
                body=_("IKM unit Anda per periode, profil responden, dan rencana tindak lanjut."),
                url=f"/survei/hasil/?instansi={user.agency.code}",
                link_text=_("Lihat hasil SKM"),
            )
        ]
    if role in (Role.SUPERVISOR, Role.ADMIN):
        return [
            Card(
                title=_("Survei kepuasan (SKM)"),
                body=_("IKM seluruh unit pelayanan di daerah Anda."),
                url="/survei/hasil/",
                link_text=_("Lihat hasil SKM"),
            )
        ]
    return []
