from django.contrib import admin

from terpadu.applications.models import AgencyBackOffice, DocumentTemplate, ServiceWorkflow


@admin.register(ServiceWorkflow)
class ServiceWorkflowAdmin(admin.ModelAdmin):
    list_display = ("service", "updated_at")
    raw_id_fields = ("service",)


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ("service", "title", "number_prefix")
    raw_id_fields = ("service",)


@admin.register(AgencyBackOffice)
class AgencyBackOfficeAdmin(admin.ModelAdmin):
    list_display = ("agency", "endpoint")
