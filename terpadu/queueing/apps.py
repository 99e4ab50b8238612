from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "terpadu.queueing"
    label = "queueing"
    verbose_name = "Antrean MPP"
