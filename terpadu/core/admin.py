from django.contrib import admin

from terpadu.core.models import Agency, AuditEntry, LocalDay, Region, WorkCalendar


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    list_filter = ("level",)
    search_fields = ("code", "name")


class LocalDayInline(admin.TabularInline):
    model = LocalDay
    extra = 1
    fields = ("date", "name", "is_open", "region")


@admin.register(WorkCalendar)
class WorkCalendarAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "saturday_open", "cuti_bersama_open", "is_region_default")
    inlines = [LocalDayInline]


@admin.register(LocalDay)
class LocalDayAdmin(admin.ModelAdmin):
    """Regional leave by a Bupati's decree, or a day an office opens by exception."""

    list_display = ("date", "name", "region", "calendar", "is_open")
    list_filter = ("region", "is_open")
    date_hierarchy = "date"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("short_name", "name", "kind", "region")
    list_filter = ("kind", "region")
    search_fields = ("name", "short_name", "code")


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the chain is only ever appended to by the application."""

    list_display = ("seq", "created_at", "actor_label", "action", "record_type", "record_id")
    search_fields = ("action", "record_type", "record_id", "actor_label")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
