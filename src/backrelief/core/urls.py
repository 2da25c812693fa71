from django.urls import path
from django.views.i18n import set_language

from backrelief.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("audit/", views.audit_search, name="audit_search"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("account/access-log/", views.access_log, name="access_log"),
]
