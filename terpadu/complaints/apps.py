from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "terpadu.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"

    def ready(self) -> None:
        from terpadu.core.periodic import JOBS, Job

        job = Job("complaints_sla", 900, "terpadu.complaints.tasks.complaints_sla")
        if all(existing.name != job.name for existing in JOBS):
            JOBS.append(job)
