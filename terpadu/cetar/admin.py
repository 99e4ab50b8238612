from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from terpadu.cetar.models import AgencyCost
from terpadu.cetar.services import agency_cost_set


@admin.register(AgencyCost)
class AgencyCostAdmin(admin.ModelAdmin):
    """Monthly costs for cost per transaction; saved through the audited service."""

    list_display = ("agency", "month", "amount", "entered_by", "updated_at")
    list_filter = ("agency",)
    fields = ("agency", "month", "amount", "note")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        agency_cost_set(
            actor=request.user, agency=obj.agency, month=obj.month, amount=obj.amount, note=obj.note
        )
