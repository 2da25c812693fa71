"""The sample German translation (issue 2 §12): compiled, and switched to by the language
cookie or `translation.override`; English stays the default and the fallback."""

from __future__ import annotations

import fcntl
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
GERMAN_HEADLINE = "Linderung für Rücken und Nacken, sicher und Schritt für Schritt"
ENGLISH_HEADLINE = "Back and neck relief, safely and step by step"


@pytest.fixture(scope="module")
def german_catalog() -> Iterator[Path]:
    """Compile the catalog when `make messages` has not (or the .po is newer).

    A lock keeps parallel test workers from reading a half-written .mo; overriding
    LOCALE_PATHS makes Django drop any catalog it loaded before the compile.
    """
    lock_path = Path(tempfile.gettempdir()) / "backrelief-compilemessages.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
            call_command("compilemessages", locale=["de"], verbosity=0)
        fcntl.flock(lock, fcntl.LOCK_UN)
    with override_settings(LOCALE_PATHS=settings.LOCALE_PATHS):
        yield MO


def test_the_german_catalog_is_compiled(german_catalog):
    assert german_catalog.exists()
    assert german_catalog.stat().st_mtime >= PO.stat().st_mtime


def test_override_translates_layout_and_form_labels(german_catalog):
    with translation.override("de"):
        assert translation.gettext("Sign in") == "Anmelden"
        assert translation.gettext("Skip to main content") == "Zum Hauptinhalt springen"
        assert translation.gettext("Email address") == "E-Mail-Adresse"
    assert translation.gettext("Sign in") == "Sign in"


@pytest.mark.django_db
def test_language_cookie_shows_the_public_home_page_in_german(german_catalog):
    web = Client()
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = web.get("/").content.decode()
    assert GERMAN_HEADLINE in page
    assert '<html lang="de">' in page
    assert "Zum Hauptinhalt springen" in page


@pytest.mark.django_db
def test_sign_in_page_labels_follow_the_language(german_catalog):
    web = Client()
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = web.get("/accounts/login/").content.decode()
    assert "E-Mail-Adresse" in page
    assert "Passwort" in page


@pytest.mark.django_db
def test_english_is_the_default(german_catalog):
    page = Client().get("/").content.decode()
    assert ENGLISH_HEADLINE in page
    assert '<html lang="en">' in page
