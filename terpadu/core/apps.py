from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "terpadu.core"
    label = "core"
    verbose_name = "Terpadu core"

    def ready(self) -> None:
        from terpadu.core import signals  # noqa: F401
