"""Writes of the core app."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from terpadu.core.audit import audit_record, changes
from terpadu.core.errors import DomainError, field_error
from terpadu.core.models import Agency

AGENCY_EDITABLE = ("address", "phone", "email", "opening_hours")
AGENCY_MAX_LENGTH = {"address": 300, "phone": 40, "opening_hours": 200}


@transaction.atomic
def agency_update(*, agency: Agency, actor: Any, data: dict[str, str]) -> Agency:
    """Change an agency's contact details; audited."""
    unknown = set(data) - set(AGENCY_EDITABLE)
    if unknown:
        raise DomainError(
            code="invalid",
            message="Ada isian yang tidak dikenal.",
            errors=[
                field_error(n, "Isian ini tidak dapat diubah.", "This field cannot be changed.")
                for n in sorted(unknown)
            ],
        )
    errors = []
    email = data.get("email")
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                field_error("email", "Alamat surel tidak valid.", "Enter a valid email address.")
            )
    for name in AGENCY_MAX_LENGTH:
        if name in data and len(data[name]) > AGENCY_MAX_LENGTH[name]:
            errors.append(field_error(name, "Isian terlalu panjang.", "This value is too long."))
    if errors:
        raise DomainError(
            code="invalid", message="Periksa kembali isian yang ditandai.", errors=errors
        )
    locked = Agency.objects.select_for_update().get(pk=agency.pk)
    before = {k: getattr(locked, k) for k in AGENCY_EDITABLE}
    for key, value in data.items():
        setattr(locked, key, value.strip())
    diff = changes(before, {k: getattr(locked, k) for k in AGENCY_EDITABLE})
    if diff:
        locked.save(update_fields=[*diff.keys(), "updated_at"])
        audit_record(actor=actor, action="agency.update", record=locked, summary=diff)
    return locked
