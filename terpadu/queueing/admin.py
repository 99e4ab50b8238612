"""Admin: the per-hall queue rules and per-service booking capacity; tickets and events read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from terpadu.queueing.models import BookingCapacity, HallSettings, QueueEvent, Ticket


@admin.register(HallSettings)
class HallSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "hall",
        "priority_every",
        "bookings_in_priority_lane",
        "slot_minutes",
        "slot_capacity",
    )
    exclude = ("kiosk_key",)


@admin.register(BookingCapacity)
class BookingCapacityAdmin(admin.ModelAdmin):
    list_display = ("hall", "service", "slot_minutes", "capacity")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnly):
    list_display = ("label", "hall", "day", "status", "priority_reason", "source", "counter")
    list_filter = ("status", "source", "day")
    date_hierarchy = "day"


@admin.register(QueueEvent)
class QueueEventAdmin(ReadOnly):
    list_display = ("id", "kind", "ticket", "counter", "at", "sealed_seq")
    list_filter = ("kind",)
