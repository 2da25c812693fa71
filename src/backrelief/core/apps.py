from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "backrelief.core"
    label = "core"
    verbose_name = "Core"
