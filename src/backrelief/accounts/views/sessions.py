"""Placeholder; replaced by the real views."""

from django.http import HttpRequest, HttpResponse


def session_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def end_session(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def end_all_sessions(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
