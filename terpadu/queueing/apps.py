from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "terpadu.queueing"
    label = "queueing"
    verbose_name = "Antrean MPP"

    def ready(self) -> None:
        from terpadu.core.periodic import Job, register

        register(
            # Queue events reach the audit chain within seconds (see docs/queue.md).
            Job("queue_seal_events", 5, "terpadu.queueing.tasks.queue_seal_events"),
            # "3rd in line" messages through the notifications outbox (docs/queue.md).
            Job("queue_notify_soon", 5, "terpadu.queueing.tasks.queue_notify_soon"),
            Job("queue_booking_no_shows", 300, "terpadu.queueing.tasks.queue_booking_no_shows"),
            Job("queue_close_past_days", 600, "terpadu.queueing.tasks.queue_close_past_days"),
        )
