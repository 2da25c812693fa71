"""Health data stays out of Django admin (issue 2 §9): no model named in
`core/health.py` HEALTH_MODELS may be registered on the admin site."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin

from backrelief.core.health import HEALTH_MODELS


@pytest.mark.parametrize("label", HEALTH_MODELS)
def test_health_model_list_names_a_real_model(label):
    app_label, model_name = label.split(".")
    assert apps.get_model(app_label, model_name) is not None


def test_no_health_model_is_registered_in_admin():
    registered = {f"{m._meta.app_label}.{m.__name__}" for m in admin.site._registry}
    offenders = sorted(set(HEALTH_MODELS) & registered)
    assert not offenders, f"Health models must not be in Django admin: {offenders}"


@pytest.mark.parametrize("label", HEALTH_MODELS)
def test_health_model_is_not_registered_in_admin(label):
    model = apps.get_model(label)
    assert not admin.site.is_registered(model), f"{label} is registered in Django admin"
