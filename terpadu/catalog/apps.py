from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "terpadu.catalog"
    label = "catalog"
    verbose_name = "Katalog layanan"

    def ready(self) -> None:
        from terpadu.core.periodic import JOBS, Job

        # A version published with a future effective date becomes current on that
        # date (Asia/Jakarta); checking every minute keeps the switch within a
        # minute of midnight and costs one indexed query.
        job = Job("catalog_promote_versions", 60, "terpadu.catalog.tasks.catalog_promote_versions")
        if all(existing.name != job.name for existing in JOBS):
            JOBS.append(job)
