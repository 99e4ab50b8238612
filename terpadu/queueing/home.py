"""Home-page cards: front desk (today's queue), officers (my counter), supervisors (hall overview)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.accounts.models import AGENCY_ROLES, Role
from terpadu.catalog.models import Counter, Hall
from terpadu.queueing.access import halls_for_user
from terpadu.queueing.models import CounterState, Ticket
from terpadu.queueing.services import local_day


def cards(user: Any) -> list[Card]:
    from django.utils import timezone

    result: list[Card] = []
    day = local_day(timezone.now())
    if user.role in AGENCY_ROLES and user.agency_id:
        counters = list(
            Counter.objects.filter(agency_id=user.agency_id, is_active=True)
            .select_related("hall")
            .order_by("hall__name", "number")[:6]
        )
        mine = CounterState.objects.filter(officer=user, status="open").values_list(
            "counter_id", flat=True
        )
        counters.sort(key=lambda c: c.pk not in set(mine))
        if counters:
            first = counters[0]
            others = ", ".join(str(c.number) for c in counters[1:])
            body = _("Loket %(n)s di %(hall)s.") % {"n": first.number, "hall": first.hall.name}
            if others:
                body += " " + _("Loket lain instansi Anda: %(list)s.") % {"list": others}
            result.append(
                Card(
                    title=_("Loket saya"),
                    body=body,
                    url=f"/kantor/loket/{first.pk}/",
                    link_text=_("Buka konsol loket %(n)s") % {"n": first.number},
                )
            )
    if user.role in (Role.FRONT_DESK, Role.SUPERVISOR, Role.ADMIN):
        halls: list[Hall] = list(halls_for_user(user).order_by("name")[:3])
        for hall in halls:
            waiting = Ticket.objects.filter(
                hall=hall, day=day, status=Ticket.Status.WAITING
            ).count()
            issued = Ticket.objects.filter(hall=hall, day=day).count()
            title = _("Antrean hari ini") if user.role == Role.FRONT_DESK else _("Ringkasan gedung")
            result.append(
                Card(
                    title=f"{title}: {hall.name}",
                    body=_("%(issued)s nomor diambil, %(waiting)s menunggu.")
                    % {"issued": issued, "waiting": waiting},
                    url=f"/kantor/antrean/{hall.pk}/",
                    link_text=_("Lihat antrean"),
                )
            )
    if user.role == Role.CITIZEN:
        first_hall = Hall.objects.order_by("name").first()
        if first_hall is not None:
            result.append(
                Card(
                    title=_("Janji temu di %(hall)s") % {"hall": first_hall.name},
                    body=_("Pesan jam kedatangan agar tidak menunggu lama."),
                    url=f"/antrean/{first_hall.pk}/janji/",
                    link_text=_("Pesan janji temu"),
                )
            )
    return result
