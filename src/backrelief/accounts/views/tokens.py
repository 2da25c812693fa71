"""Placeholder; replaced by the real views."""

from django.http import HttpRequest, HttpResponse


def token_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def revoke_token(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
