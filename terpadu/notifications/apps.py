from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "terpadu.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        from terpadu.core.periodic import Job, register

        # A delivery sweep every few seconds; each sweep drains what is due (see delivery.py).
        register(
            Job("notifications_deliver", 5, "terpadu.notifications.tasks.notifications_deliver"),
            # UU PDP: recipients and texts of old delivered messages are erased (services.py).
            Job("notifications_erase", 3600, "terpadu.notifications.tasks.notifications_erase"),
        )
