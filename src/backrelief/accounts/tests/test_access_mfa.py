"""The two-factor rule for health data (issue 2 §6): therapists and staff need a confirmed
device and a verified session before any client's health record opens; clients do not."""

from __future__ import annotations

import pytest
from django.test import Client

from backrelief.accounts.access import (
    request_mfa_verified,
    require_mfa_for_health_access,
    session_mfa_verified,
)
from backrelief.accounts.tests.mfa_helpers import enable_mfa, sign_in
from backrelief.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["therapist", "staff"])
def test_therapist_and_staff_without_a_device_are_told_to_turn_it_on(make_user, role):
    user = make_user(role)
    with pytest.raises(PermissionDenied) as exc:
        require_mfa_for_health_access(user=user, session_mfa_verified=True)
    assert exc.value.code == "mfa_required"
    assert "/accounts/two-factor/" in exc.value.message


@pytest.mark.parametrize("role", ["therapist", "staff"])
def test_a_device_is_not_enough_without_a_verified_session(make_user, role):
    user = make_user(role)
    enable_mfa(user)
    with pytest.raises(PermissionDenied) as exc:
        require_mfa_for_health_access(user=user, session_mfa_verified=False)
    assert exc.value.code == "mfa_required"
    assert "/accounts/two-factor/" in exc.value.message


@pytest.mark.parametrize("role", ["therapist", "staff"])
def test_device_and_verified_session_open_health_data(make_user, role):
    user = make_user(role)
    enable_mfa(user)
    require_mfa_for_health_access(user=user, session_mfa_verified=True)


def test_clients_are_not_held_to_two_factor(client_user):
    require_mfa_for_health_access(user=client_user, session_mfa_verified=False)


def test_session_verification_is_read_from_the_session_registry(therapist):
    enable_mfa(therapist)
    verified = sign_in(Client(), therapist, mfa_verified=True)
    unverified = sign_in(Client(), therapist, mfa_verified=False)
    assert session_mfa_verified(user=therapist, session_key=verified.session_key)
    assert not session_mfa_verified(user=therapist, session_key=unverified.session_key)
    assert not session_mfa_verified(user=therapist, session_key=None)


def test_someone_elses_verified_session_does_not_count(therapist, other_therapist):
    enable_mfa(therapist)
    theirs = sign_in(Client(), other_therapist, mfa_verified=True)
    assert not session_mfa_verified(user=therapist, session_key=theirs.session_key)


def test_request_helper_follows_the_session(rf, therapist):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    enable_mfa(therapist)
    row = sign_in(Client(), therapist, mfa_verified=True)
    request = rf.get("/")
    request.user = therapist
    request.session = SessionStore(session_key=row.session_key)
    assert request_mfa_verified(request)
    request.user = AnonymousUser()
    assert not request_mfa_verified(request)
