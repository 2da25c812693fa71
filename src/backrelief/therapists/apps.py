from django.apps import AppConfig


class TherapistsConfig(AppConfig):
    name = "backrelief.therapists"
    label = "therapists"
    verbose_name = "Therapists"
