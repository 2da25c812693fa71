"""Profile changes, against the database (issue 2 §6 "Profile")."""

from __future__ import annotations

import pytest

from backrelief.accounts.models import User
from backrelief.accounts.services.profile import profile_update
from backrelief.core.errors import Invalid
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is the production hasher (settings); these tests are about flows, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_profile_fields_change_and_only_their_names_are_audited(client_user):
    profile_update(
        user=client_user,
        display_name="  Cleo   C. ",
        country="de",
        time_zone="America/New_York",
        locale="de",
    )
    stored = User.objects.get(pk=client_user.pk)
    assert (stored.display_name, stored.country, stored.time_zone, stored.locale) == (
        "Cleo C.",
        "DE",
        "America/New_York",
        "de",
    )
    (row,) = AuditEvent.objects.filter(action="profile.changed")
    assert row.object_id == "country,display_name,locale,time_zone"
    assert row.actor_public_id == row.subject_public_id == client_user.public_id
    text = str(vars(row))
    for value in ("Cleo", "America/New_York", client_user.email):
        assert value not in text


def test_fields_left_out_stay_as_they_are(client_user):
    profile_update(user=client_user, country="FR")
    stored = User.objects.get(pk=client_user.pk)
    assert stored.display_name == "Cleo Client"
    assert stored.country == "FR"
    assert AuditEvent.objects.get(action="profile.changed").object_id == "country"


def test_empty_values_clear_name_and_country(client_user):
    profile_update(user=client_user, country="NO")
    profile_update(user=client_user, display_name="", country="")
    stored = User.objects.get(pk=client_user.pk)
    assert (stored.display_name, stored.country) == ("", "")


def test_saving_the_same_values_is_not_a_change(client_user):
    profile_update(user=client_user, display_name="Cleo Client", time_zone="UTC")
    assert not AuditEvent.objects.filter(action="profile.changed").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"display_name": "x" * 81}, "display_name", id="name-81"),
        pytest.param({"display_name": "bell\x07"}, "display_name", id="control-char"),
        pytest.param({"display_name": "\ud800"}, "display_name", id="lone-surrogate"),
        pytest.param({"country": "XX"}, "country", id="unassigned-country"),
        pytest.param({"country": "DEU"}, "country", id="alpha-3"),
        pytest.param({"time_zone": "Europe/Atlantis"}, "time_zone", id="unknown-zone"),
        pytest.param({"time_zone": "../../etc/passwd"}, "time_zone", id="path"),
        pytest.param({"time_zone": ""}, "time_zone", id="empty-zone"),
        pytest.param({"locale": "fr"}, "locale", id="untranslated-language"),
    ],
)
def test_bad_values_name_the_field_and_change_nothing(client_user, changes, field):
    valid_change = {"locale": "de"} if field == "country" else {"country": "SE"}
    with pytest.raises(Invalid) as exc:
        profile_update(user=client_user, **(valid_change | changes))
    assert list(exc.value.fields) == [field]
    stored = User.objects.get(pk=client_user.pk)
    assert (stored.display_name, stored.country, stored.locale) == ("Cleo Client", "", "en")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["x" * 80, "Zoë Ørsted-Łukasz 李", "👩‍⚕️ Ann"])
def test_names_up_to_eighty_characters_in_any_script_are_fine(client_user, name):
    profile_update(user=client_user, display_name=name)
    assert User.objects.get(pk=client_user.pk).display_name == name
