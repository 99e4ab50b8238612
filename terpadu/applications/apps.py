from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "terpadu.applications"
    label = "applications"
    verbose_name = "Permohonan"

    def ready(self) -> None:
        from terpadu.core.periodic import JOBS, Job

        job = Job("applications_escalate", 300, "terpadu.applications.tasks.applications_escalate")
        if all(existing.name != job.name for existing in JOBS):
            JOBS.append(job)
