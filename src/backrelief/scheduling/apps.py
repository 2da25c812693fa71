from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "backrelief.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"
