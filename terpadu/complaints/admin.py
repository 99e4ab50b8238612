from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from terpadu.complaints.models import Category, Open311Client
from terpadu.complaints.open311.keys import open311_client_issue


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region", "agency", "follow_up_days", "is_active")
    list_filter = ("region", "is_active")
    search_fields = ("name", "code")


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Issue keys here: the key is shown once, after saving; only its hash is stored."""

    list_display = ("name", "region", "key_prefix", "created_at", "revoked_at")
    fields = ("name", "region", "revoked_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = open311_client_issue(name=obj.name, region=obj.region, actor=request.user)
        obj.pk = client.pk
        obj.key_prefix = client.key_prefix
        obj.key_hash = client.key_hash
        obj.created_at = client.created_at
        messages.warning(
            request, f"API key untuk {client.name} (simpan sekarang, tidak ditampilkan lagi): {key}"
        )
