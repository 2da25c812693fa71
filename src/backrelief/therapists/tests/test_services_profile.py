"""Profile, service and experience services (issue 5 item 1): every rule and error code, and
bad input stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from backrelief.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from backrelief.core.models import AuditEvent
from backrelief.therapists.models import Service, TechniqueExperience, TherapistProfile
from backrelief.therapists.services.profile import (
    experience_set,
    onboarding_complete,
    profile_create,
    profile_update,
    service_create,
    service_retire,
    service_update,
)
from backrelief.therapists.tests.factories import make_profile, make_service

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def _snapshot(profile: TherapistProfile) -> tuple:
    profile.refresh_from_db()
    return (
        tuple(getattr(profile, f.attname) for f in TherapistProfile._meta.concrete_fields),
        sorted(profile.languages.values_list("code", flat=True)),
        list(Service.objects.filter(therapist=profile).values()),
        list(TechniqueExperience.objects.filter(therapist=profile).values()),
    )


# --- create -------------------------------------------------------------------------------


def test_a_therapist_creates_one_profile_audited(therapist):
    with time_machine.travel(NOW, tick=False):
        profile = profile_create(
            user=therapist, display_name="  Anna   Müller ", languages=["de", "en"], now=NOW
        )
        assert profile.display_name == "Anna Müller"
        assert sorted(profile.languages.values_list("code", flat=True)) == ["de", "en"]
        assert profile.in_clinic
        assert not profile.mobile
        assert AuditEvent.objects.filter(
            action="therapist.profile_created", actor_public_id=therapist.public_id
        ).exists()
        with pytest.raises(Conflict) as exc:
            profile_create(user=therapist, display_name="Again", languages=["en"], now=NOW)
        assert exc.value.code == "profile_exists"
        assert TherapistProfile.objects.filter(user=therapist).count() == 1


@pytest.mark.parametrize("role", ["client", "staff"])
def test_only_therapist_accounts_create_a_profile(make_user, role):
    user = make_user(role)
    with pytest.raises(PermissionDenied) as exc:
        profile_create(user=user, display_name="X", languages=["en"], now=NOW)
    assert exc.value.code == "therapist_only"
    assert not TherapistProfile.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"languages": []}, "languages"),
        ({"languages": ["en", "klingon"]}, "languages"),
        ({"gender": "robot"}, "gender"),
        ({"bio": "b" * 2001}, "bio"),
    ],
)
def test_bad_create_input_names_the_field_and_stores_nothing(therapist, kwargs, field):
    values = {"display_name": "Anna", "languages": ["en"], **kwargs}
    with pytest.raises(Invalid) as exc:
        profile_create(user=therapist, now=NOW, **values)
    assert field in exc.value.fields
    assert not TherapistProfile.objects.exists()
    assert not AuditEvent.objects.filter(action="therapist.profile_created").exists()


# --- update -------------------------------------------------------------------------------


def test_update_changes_only_given_fields_and_audits_their_names(therapist):
    profile = make_profile(therapist)
    updated = profile_update(
        user=therapist,
        now=NOW,
        mobile=True,
        travel_radius_km=15,
        languages=["en", "fr"],
        step_free_access=True,
    )
    assert updated.mobile
    assert updated.travel_radius_km == 15
    assert updated.in_clinic
    assert updated.step_free_access
    assert sorted(updated.languages.values_list("code", flat=True)) == ["en", "fr"]
    event = AuditEvent.objects.get(action="therapist.profile_changed")
    assert event.object_id == "languages,mobile,step_free_access,travel_radius_km"
    assert profile.display_name == updated.display_name


def test_turning_mobile_off_clears_the_radius(therapist):
    make_profile(therapist, mobile=True, travel_radius_km=10)
    assert profile_update(user=therapist, now=NOW, mobile=False).travel_radius_km is None


def test_coordinates_can_be_cleared_together(therapist):
    make_profile(therapist)
    profile = profile_update(user=therapist, now=NOW, latitude=None, longitude=None)
    assert profile.latitude is None
    assert profile.longitude is None


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"latitude": 91.0}, "latitude", "coordinates out of range"),
        ({"longitude": -180.5}, "longitude", "coordinates out of range"),
        ({"latitude": None}, "latitude", "both latitude and longitude"),
        ({"in_clinic": False}, "in_clinic", "in-clinic"),
        ({"mobile": True}, "travel_radius_km", "how far you travel"),
        ({"mobile": True, "travel_radius_km": 250}, "travel_radius_km", "1 to 200"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "time zone"),
        ({"languages": []}, "languages", "at least one language"),
        ({"languages": ["zz"]}, "languages", "Unknown language"),
        ({"display_name": " "}, "display_name", "name clients will see"),
        ({"address": "a" * 201}, "address", "at most 200"),
        ({"accessibility_notes": "n" * 301}, "accessibility_notes", "at most 300"),
        ({"gender": "other"}, "gender", "Not stated"),
    ],
)
def test_bad_update_input_gets_a_specific_error_and_stores_nothing(
    therapist, kwargs, field, fragment
):
    profile = make_profile(therapist)
    before = _snapshot(profile)
    with pytest.raises(Invalid) as exc:
        profile_update(user=therapist, now=NOW, bio="changed too", **kwargs)
    assert fragment in " ".join(exc.value.fields[field])
    assert _snapshot(profile) == before
    assert not AuditEvent.objects.filter(action="therapist.profile_changed").exists()


def test_several_bad_fields_are_all_reported(therapist):
    make_profile(therapist)
    with pytest.raises(Invalid) as exc:
        profile_update(user=therapist, now=NOW, latitude=100.0, longitude=200.0, display_name="")
    assert set(exc.value.fields) == {"latitude", "longitude", "display_name"}


def test_update_without_a_profile_says_to_start_onboarding(therapist):
    with pytest.raises(NotFound) as exc:
        profile_update(user=therapist, now=NOW, bio="x")
    assert exc.value.code == "no_profile"


def test_a_client_cannot_update_a_therapist_profile(client_user):
    with pytest.raises(PermissionDenied):
        profile_update(user=client_user, now=NOW, bio="x")


# --- services -----------------------------------------------------------------------------


def test_a_service_stores_the_price_in_minor_units(therapist):
    make_profile(therapist)
    service = service_create(
        user=therapist,
        technique="deep_tissue",
        duration_min=60,
        price="69.50",
        currency="EUR",
        now=NOW,
    )
    assert (service.price_minor, service.currency, service.active) == (6950, "EUR", True)
    assert AuditEvent.objects.filter(
        action="therapist.service_changed", object_id=str(service.public_id)
    ).exists()


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"price": "-10"}, "price", "cannot be negative"),
        ({"price": "ten"}, "price", "as a number"),
        ({"technique": "reiki"}, "technique", "Unknown technique"),
        ({"duration_min": 10}, "duration_min", "15 to 240"),
        ({"duration_min": 300}, "duration_min", "15 to 240"),
        ({"currency": "JPY"}, "currency", "offered currencies"),
    ],
)
def test_bad_service_input_gets_a_specific_error_and_stores_nothing(
    therapist, kwargs, field, fragment
):
    make_profile(therapist)
    values = {"technique": "swedish", "duration_min": 60, "price": "70", "currency": "EUR"}
    with pytest.raises(Invalid) as exc:
        service_create(user=therapist, now=NOW, **{**values, **kwargs})
    assert fragment in " ".join(exc.value.fields[field])
    assert not Service.objects.exists()
    assert not AuditEvent.objects.filter(action="therapist.service_changed").exists()


def test_the_same_technique_and_duration_twice_is_a_conflict(therapist):
    profile = make_profile(therapist)
    make_service(profile, technique="swedish", duration_min=60)
    with pytest.raises(Conflict) as exc:
        service_create(
            user=therapist,
            technique="swedish",
            duration_min=60,
            price="80",
            currency="EUR",
            now=NOW,
        )
    assert exc.value.code == "service_duplicate"
    assert Service.objects.count() == 1
    # a retired one does not count
    service_retire(user=therapist, service_public_id=Service.objects.get().public_id, now=NOW)
    service_create(
        user=therapist, technique="swedish", duration_min=60, price="80", currency="EUR", now=NOW
    )
    assert Service.objects.filter(active=True).count() == 1


def test_update_changes_price_and_duration_but_checks_duplicates(therapist):
    profile = make_profile(therapist)
    a = make_service(profile, technique="swedish", duration_min=60)
    make_service(profile, technique="swedish", duration_min=90)
    updated = service_update(user=therapist, service_public_id=a.public_id, price="75.5", now=NOW)
    assert updated.price_minor == 7550
    with pytest.raises(Conflict):
        service_update(user=therapist, service_public_id=a.public_id, duration_min=90, now=NOW)
    with pytest.raises(Invalid) as exc:
        service_update(
            user=therapist, service_public_id=a.public_id, price="-1", duration_min=45, now=NOW
        )
    assert set(exc.value.fields) == {"price"}
    a.refresh_from_db()
    assert (a.duration_min, a.price_minor) == (60, 7550)


def test_a_retired_service_cannot_be_edited_and_retiring_twice_is_harmless(therapist):
    profile = make_profile(therapist)
    service = make_service(profile)
    service_retire(user=therapist, service_public_id=service.public_id, now=NOW)
    service_retire(user=therapist, service_public_id=service.public_id, now=NOW)
    service.refresh_from_db()
    assert not service.active
    assert AuditEvent.objects.filter(action="therapist.service_changed").count() == 1
    with pytest.raises(Conflict) as exc:
        service_update(user=therapist, service_public_id=service.public_id, price="1", now=NOW)
    assert exc.value.code == "service_retired"


def test_another_therapists_service_does_not_exist(therapist, other_therapist):
    make_profile(therapist)
    theirs = make_service(make_profile(other_therapist))
    for call in (
        lambda: service_update(
            user=therapist, service_public_id=theirs.public_id, price="1", now=NOW
        ),
        lambda: service_retire(user=therapist, service_public_id=theirs.public_id, now=NOW),
        lambda: service_update(user=therapist, service_public_id="not-a-uuid", price="1", now=NOW),
    ):
        with pytest.raises(NotFound):
            call()
    theirs.refresh_from_db()
    assert theirs.active
    assert theirs.price_minor == 7000


# --- experience ---------------------------------------------------------------------------


def test_experience_replaces_the_stated_years(therapist):
    profile = make_profile(therapist)
    experience_set(user=therapist, years={"swedish": 8, "shiatsu": 0}, now=NOW)
    experience_set(user=therapist, years={"swedish": 9, "deep_tissue": 3}, now=NOW)
    assert dict(profile.experience.values_list("technique", "years")) == {
        "swedish": 9,
        "deep_tissue": 3,
    }


@pytest.mark.parametrize(
    ("years", "key", "fragment"),
    [
        ({"reiki": 3}, "years.reiki", "Unknown technique"),
        ({"swedish": 61}, "years.swedish", "0 to 60"),
        ({"swedish": -1}, "years.swedish", "0 to 60"),
    ],
)
def test_bad_experience_is_refused_and_stores_nothing(therapist, years, key, fragment):
    profile = make_profile(therapist)
    experience_set(user=therapist, years={"hot_stone": 2}, now=NOW)
    with pytest.raises(Invalid) as exc:
        experience_set(user=therapist, years={"trigger_point": 4, **years}, now=NOW)
    assert fragment in exc.value.fields[key][0]
    assert dict(profile.experience.values_list("technique", "years")) == {"hot_stone": 2}


# --- onboarding ---------------------------------------------------------------------------


def test_onboarding_completes_once_the_required_steps_are_done(therapist):
    profile = make_profile(therapist)
    with pytest.raises(Invalid) as exc:
        onboarding_complete(user=therapist, now=NOW)
    assert exc.value.code == "onboarding_incomplete"
    assert "at least one service" in exc.value.message
    profile.refresh_from_db()
    assert profile.onboarding_completed_at is None
    make_service(profile)
    assert onboarding_complete(user=therapist, now=NOW).onboarding_completed_at == NOW
    later = NOW + dt.timedelta(days=1)
    assert onboarding_complete(user=therapist, now=later).onboarding_completed_at == NOW
