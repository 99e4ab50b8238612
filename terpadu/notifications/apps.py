from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "terpadu.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"
