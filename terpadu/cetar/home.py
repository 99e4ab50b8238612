"""Home cards: an agency head sees the agency's CETAR; a supervisor the whole hall's."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.accounts.models import Role
from terpadu.cetar import selectors
from terpadu.cetar.indicators import HEADLINE
from terpadu.cetar.params import DEFAULT_PERIOD, parse
from terpadu.cetar.selectors import Slice
from terpadu.core.workdays import local_today


def _summary(s: Slice) -> str:
    rows = selectors.overview(s, list(HEADLINE.values()))
    met = sum(1 for r in rows if r.met is True)
    measured = sum(1 for r in rows if r.met is not None)
    parts = [f"{r.indicator.letter_short} {r.indicator.name_id}: {r.text}" for r in rows[:3]]
    return _("%(met)s dari %(measured)s indikator utama memenuhi target. %(parts)s.") % {
        "met": met,
        "measured": measured,
        "parts": "; ".join(parts),
    }


def cards(user: Any) -> list[Card]:
    role = getattr(user, "role", None)
    period = parse(DEFAULT_PERIOD, local_today())
    if period is None or role not in (Role.AGENCY_HEAD, Role.SUPERVISOR):
        return []
    if role == Role.AGENCY_HEAD and user.agency_id:
        agency = user.agency
        s = Slice(period.first, period.last, region_ids=(agency.region_id,), agency_id=agency.pk)
        return [
            Card(
                title=_("CETAR instansi Anda"),
                body=_summary(s),
                url=f"/cetar/?instansi={agency.pk}",
                link_text=_("Lihat dasbor CETAR instansi"),
            )
        ]
    if role == Role.SUPERVISOR and user.region_id:
        ids = (user.region_id,) if user.region.level == "regency" else None
        s = Slice(period.first, period.last, region_ids=ids)
        return [
            Card(
                title=_("CETAR seluruh MPP"),
                body=_summary(s),
                url="/cetar/"
                + (f"?wilayah={user.region.code}" if user.region.level != "regency" else ""),
                link_text=_("Lihat dasbor CETAR"),
            ),
            Card(
                title=_("Loket dan petugas"),
                body=_("Panggilan, layanan selesai, dan keterpakaian per loket dan petugas."),
                url="/cetar/internal/",
                link_text=_("Lihat rincian internal"),
            ),
        ]
    return []
