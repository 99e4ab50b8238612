from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "terpadu.catalog"
    label = "catalog"
    verbose_name = "Katalog layanan"

    def ready(self) -> None:
        from terpadu.core.periodic import Job, register

        # A version published with a future effective date becomes current on that
        # date (Asia/Jakarta); checking every minute keeps the switch within a
        # minute of midnight and costs one indexed query.
        register(
            Job("catalog_promote_versions", 60, "terpadu.catalog.tasks.catalog_promote_versions")
        )
