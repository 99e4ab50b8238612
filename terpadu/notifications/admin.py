from django.contrib import admin

from terpadu.notifications.models import Outbox, WebhookEndpoint


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "recipient", "template", "status", "attempts", "created_at")
    list_filter = ("status", "channel")
    search_fields = ("idempotency_key", "recipient")
    readonly_fields = [f.name for f in Outbox._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("key", "url", "is_active")
