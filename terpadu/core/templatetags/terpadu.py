"""Template filters available in every template (registered as a builtin)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from terpadu.core.nik import mask_nik

register = template.Library()


@register.filter(name="nik")
def nik_filter(value: str | None, user: object = None) -> str:
    """Mask a NIK unless ``user`` is allowed to see the full number: ``{{ nik|nik:request.user }}``."""
    if not value:
        return ""
    if user is not None and getattr(user, "sees_full_nik", False):
        return str(value)
    return mask_nik(str(value))


@register.filter(name="rupiah")
def rupiah(value: int | float | Decimal | None) -> str:
    """Format an amount as Rupiah: ``Rp 1.250.000``; 0 is "Gratis"."""
    if value is None or value == "":
        return ""
    amount = int(Decimal(str(value)).quantize(Decimal(1)))
    if amount == 0:
        return _("Gratis")
    return "Rp " + f"{amount:,}".replace(",", ".")
