"""Home-page cards: citizens find a service; agency staff see their catalogue."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.accounts.models import Role
from terpadu.catalog.access import is_catalog_editor
from terpadu.catalog.models import ServiceVersion


def cards(user: Any) -> list[Card]:
    out: list[Card] = []
    if user.role in (Role.CITIZEN, Role.FRONT_DESK, Role.FIELD_WORKER):
        out.append(
            Card(
                title=_("Cari layanan"),
                body=_("Syarat, prosedur, waktu dan biaya setiap layanan di Mal Pelayanan Publik."),
                url="/layanan/",
                link_text=_("Buka katalog layanan"),
            )
        )
    if is_catalog_editor(user):
        from terpadu.catalog.access import services_editable_by

        services = services_editable_by(user)
        drafts = ServiceVersion.objects.filter(
            service__in=services, status=ServiceVersion.Status.DRAFT
        ).count()
        body = _("%(n)s layanan; %(d)s konsep menunggu terbit.") % {
            "n": services.count(),
            "d": drafts,
        }
        out.append(
            Card(
                title=_("Layanan instansi Anda")
                if user.role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
                else _("Katalog layanan"),
                body=body,
                url="/kantor/layanan/",
                link_text=_("Kelola standar pelayanan"),
            )
        )
    return out
