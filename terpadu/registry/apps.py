from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "terpadu.registry"
    label = "registry"
    verbose_name = "Data kependudukan terpadu"
