from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from terpadu.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "agency", "region", "is_active")
    list_filter = ("role", "agency", "region", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("Terpadu", {"fields": ("role", "region", "agency", "phone")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at", "revoked_at")
    readonly_fields = ("key_hash",)
