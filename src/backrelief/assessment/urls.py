from django.urls import path

from backrelief.assessment.views import history, results, wizard

app_name = "assessment"
urlpatterns = [
    path("", history.list_assessments, name="assessment_list"),
    path("new/", wizard.start_assessment, name="draft_start"),
    path("compare/", history.compare_assessments, name="assessment_compare"),
    path("drafts/<uuid:draft_id>/discard/", wizard.discard_draft, name="draft_discard"),
    path("drafts/<uuid:draft_id>/<slug:step>/", wizard.draft_step, name="draft_step"),
    path("<uuid:assessment_id>/", results.show_assessment, name="assessment_result"),
    path("<uuid:assessment_id>/attest/", results.attest_assessment, name="assessment_attest"),
]
