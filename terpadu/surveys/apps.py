from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "terpadu.surveys"
    label = "surveys"
    verbose_name = "Survei kepuasan masyarakat"
