from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "terpadu.accounts"
    label = "accounts"
    verbose_name = "Akun dan peran"
