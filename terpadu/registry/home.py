"""Home-page card: data officers see how many pairs wait for their review."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from terpadu.accounts.home import Card
from terpadu.registry.access import can_review, review_pairs_for_user
from terpadu.registry.models import ReviewPair


def cards(user: Any) -> list[Card]:
    if not can_review(user):
        return []
    waiting = review_pairs_for_user(user).filter(status=ReviewPair.Status.PENDING).count()
    return [
        Card(
            title=_("Data terpadu"),
            body=_("%(n)s pasangan rekaman menunggu keputusan Anda.") % {"n": waiting},
            url="/kantor/data-terpadu/tinjau/",
            link_text=_("Tinjau pasangan"),
        )
    ]
