from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "terpadu.applications"
    label = "applications"
    verbose_name = "Permohonan"

    def ready(self) -> None:
        from terpadu.core.periodic import Job, register

        register(
            Job("applications_escalate", 300, "terpadu.applications.tasks.applications_escalate")
        )
