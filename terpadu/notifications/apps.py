from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "terpadu.notifications"
    label = "notifications"
    verbose_name = "Notifikasi"

    def ready(self) -> None:
        from terpadu.core.periodic import JOBS, Job

        # A delivery sweep every few seconds; each sweep drains what is due (see delivery.py).
        job = Job("notifications_deliver", 5, "terpadu.notifications.tasks.notifications_deliver")
        if all(existing.name != job.name for existing in JOBS):
            JOBS.append(job)
