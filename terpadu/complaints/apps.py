from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "terpadu.complaints"
    label = "complaints"
    verbose_name = "Pengaduan"
