from django.apps import AppConfig


class CetarConfig(AppConfig):
    name = "terpadu.cetar"
    label = "cetar"
    verbose_name = "CETAR"

    def ready(self) -> None:
        from terpadu.core.periodic import Job, register

        register(
            # today's facts, every five minutes
            Job("cetar_refresh_today", 300, "terpadu.cetar.tasks.cetar_refresh_today"),
            # finalise yesterday (and re-finalise the open-cohort window) once it is over
            Job("cetar_finalise", 3600, "terpadu.cetar.tasks.cetar_finalise"),
        )
