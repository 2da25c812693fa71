from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backrelief.accounts"
    label = "accounts"
    verbose_name = "Accounts"
