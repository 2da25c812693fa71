from django.urls import path

from backrelief.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.list_techniques, name="technique_list"),
    path("<slug:code>/", views.show_technique, name="technique_detail"),
]
