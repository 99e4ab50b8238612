"""Home-page cards: everyone can open the gallery; editors see their agency's innovations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.gallery.access import innovations_editable_by, is_gallery_editor


def cards(user: Any) -> list[Card]:
    out = [
        Card(
            title=_("Galeri inovasi"),
            body=_("Inovasi pelayanan publik dengan hasil yang diukur langsung dari data Terpadu."),
            url="/inovasi/",
            link_text=_("Buka galeri"),
        )
    ]
    if is_gallery_editor(user):
        items = innovations_editable_by(user)
        out.append(
            Card(
                title=_("Inovasi instansi Anda"),
                body=_("%(n)s inovasi; %(p)s tampil di galeri publik.")
                % {"n": items.count(), "p": items.filter(is_public=True).count()},
                url="/kantor/inovasi/",
                link_text=_("Kelola inovasi"),
            )
        )
    return out
