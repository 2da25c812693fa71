"""Placeholder; replaced by the real views."""

from django.http import HttpRequest, HttpResponse


def login_mfa(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def mfa_setup(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def recovery_codes(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def mfa_disable(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
