from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "terpadu.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"

    def ready(self) -> None:
        from terpadu.core.periodic import Job, register

        register(Job("complaints_sla", 900, "terpadu.complaints.tasks.complaints_sla"))
