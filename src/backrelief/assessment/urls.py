from django.urls import path

from backrelief.assessment.views import results

app_name = "assessment"
urlpatterns = [
    path("<uuid:assessment_id>/", results.show_assessment, name="assessment_result"),
]
