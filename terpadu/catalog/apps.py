from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "terpadu.catalog"
    label = "catalog"
    verbose_name = "Katalog layanan"
