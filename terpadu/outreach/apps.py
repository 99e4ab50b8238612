from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "terpadu.outreach"
    label = "outreach"
    verbose_name = "Program jemput bola"

    def ready(self) -> None:
        from terpadu.core.periodic import Job, register

        register(
            Job("outreach_escalate", 900, "terpadu.outreach.tasks.outreach_escalate"),
            Job("outreach_dispatch_sweep", 30, "terpadu.outreach.tasks.outreach_dispatch_sweep"),
        )
