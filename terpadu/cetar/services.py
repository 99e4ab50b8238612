"""Writes of the CETAR app: an agency's monthly cost (the one figure people type in)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from terpadu.accounts.models import Role
from terpadu.cetar.models import AgencyCost
from terpadu.core.audit import audit_record
from terpadu.core.errors import DomainError, NotFound, field_error
from terpadu.core.models import Agency

MAX_MONTHLY_COST = 1_000_000_000_000  # Rp 1 trillion: anything above is a typing error


def can_enter_cost(user: Any, agency: Agency) -> bool:
    """The agency's own head, or an admin of its regency."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == Role.AGENCY_HEAD:
        return bool(user.agency_id == agency.pk)
    return bool(user.role == Role.ADMIN and user.region_id == agency.region_id)


@transaction.atomic
def agency_cost_set(
    *, actor: Any, agency: Agency, month: date, amount: int, note: str = ""
) -> AgencyCost:
    """Record (or correct) what ``agency`` spent delivering its services in ``month``."""
    if not can_enter_cost(actor, agency):
        raise NotFound("agency")
    errors = []
    if month.day != 1:
        errors.append(field_error("month", "Isi bulan (tanggal 1).", "Give the month (day 1)."))
    if not isinstance(amount, int) or amount < 0 or amount > MAX_MONTHLY_COST:
        errors.append(
            field_error(
                "amount",
                "Biaya harus bilangan bulat Rupiah, 0 sampai Rp 1 triliun.",
                "The cost must be whole Rupiah between 0 and 1 trillion.",
            )
        )
    if len(note) > 300:
        errors.append(field_error("note", "Keterangan terlalu panjang.", "Note too long."))
    if errors:
        raise DomainError(code="invalid", message=errors[0].message, errors=errors)
    cost = AgencyCost.objects.select_for_update().filter(agency=agency, month=month).first()
    before = {"amount": cost.amount if cost else None}
    if cost is None:
        cost = AgencyCost(agency=agency, month=month, amount=amount, note=note, entered_by=actor)
        cost.save()
    else:
        cost.amount, cost.note, cost.entered_by = amount, note, actor
        cost.save(update_fields=["amount", "note", "entered_by", "updated_at"])
    audit_record(
        actor=actor,
        action="cetar.cost_set",
        record=cost,
        summary={"month": month.isoformat(), "amount": [before["amount"], amount]},
        region_code=agency.region.code,
    )
    return cost
