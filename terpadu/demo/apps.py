from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "terpadu.demo"
    label = "demo"
    verbose_name = "Demo region"
