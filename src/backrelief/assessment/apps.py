from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "backrelief.assessment"
    label = "assessment"
    verbose_name = "Assessment"
