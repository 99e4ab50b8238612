"""Home-page cards: the coordinator's queue, the agency's follow-ups, the head's escalations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.accounts.models import Role
from terpadu.complaints.access import complaints_for_user, is_agency_user, is_coordinator
from terpadu.complaints.models import Complaint
from terpadu.complaints.selectors import open_escalations_for, overdue_q, today


def cards(user: Any) -> list[Card]:
    result: list[Card] = []
    if is_coordinator(user) or is_agency_user(user):
        waiting = Complaint.Status.SUBMITTED if is_coordinator(user) else Complaint.Status.DISPOSED
        counts = complaints_for_user(user).aggregate(
            waiting=Count("pk", filter=Q(status=waiting)),
            overdue=Count("pk", filter=overdue_q(today())),
        )
        body = (
            _("%(n)d menunggu verifikasi, %(late)d terlambat.")
            if is_coordinator(user)
            else _("%(n)d menunggu tindak lanjut, %(late)d terlambat.")
        ) % {"n": counts["waiting"], "late": counts["overdue"]}
        result.append(
            Card(
                title=_("Pengaduan"),
                body=body,
                url="/kantor/pengaduan/",
                link_text=_("Buka daftar pengaduan"),
            )
        )
    if getattr(user, "role", None) in (Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN):
        escalations = list(open_escalations_for(user)[:5])
        if escalations:
            total = open_escalations_for(user).count()
            refs = ", ".join(e.complaint.public_ref for e in escalations)
            result.append(
                Card(
                    title=_("Eskalasi pengaduan terlambat"),
                    body=_("%(n)d langkah melewati batas waktu: %(refs)s")
                    % {"n": total, "refs": refs},
                    url="/kantor/pengaduan/?terlambat=1",
                    link_text=_("Lihat yang terlambat"),
                )
            )
    if getattr(user, "role", None) == Role.CITIZEN:
        result.append(
            Card(
                title=_("Pengaduan"),
                body=_("Sampaikan keluhan tentang layanan publik dan pantau tanggapannya."),
                url="/pengaduan/baru/",
                link_text=_("Sampaikan pengaduan"),
            )
        )
    return result
