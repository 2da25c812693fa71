"""Placeholder; replaced by the real views."""

from django.http import HttpRequest, HttpResponse


def consent_page(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def withdraw_consent(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
