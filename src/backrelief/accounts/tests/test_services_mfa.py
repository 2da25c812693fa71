"""Two-factor services against the database: every rule and error code (issue 2 §6)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from backrelief.accounts import totp
from backrelief.accounts.models import RecoveryCode, TOTPDevice, UserSession
from backrelief.accounts.services import mfa as mfa_service
from backrelief.accounts.tests.mfa_helpers import current_code, enable_mfa
from backrelief.core.errors import Conflict, Invalid, PermissionDenied, RateLimited
from backrelief.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 21, 9, 0, 10, tzinfo=dt.UTC)


def _actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_public_id=user.public_id)
        .order_by("id")
        .values_list("action", flat=True)
    )


def _session(user, key="k" * 32, verified=False) -> UserSession:
    return UserSession.objects.create(
        user=user, session_key=key, created_at=NOW, last_seen_at=NOW, mfa_verified=verified
    )


# --- setup ---------------------------------------------------------------------------------------


def test_begin_setup_creates_an_unconfirmed_device_with_a_fresh_secret(client_user):
    device = mfa_service.mfa_begin_setup(user=client_user, now=NOW)
    assert not device.confirmed
    assert len(device.secret) == 32
    assert mfa_service.mfa_status(user=client_user) == mfa_service.MfaStatus(
        enabled=False, pending_setup=True, recovery_codes_left=0
    )


def test_begin_setup_again_replaces_the_unconfirmed_secret(client_user):
    first = mfa_service.mfa_begin_setup(user=client_user, now=NOW).secret
    second = mfa_service.mfa_begin_setup(user=client_user, now=NOW).secret
    assert first != second
    assert TOTPDevice.objects.filter(user=client_user).count() == 1


def test_begin_setup_is_refused_when_already_on(client_user):
    enable_mfa(client_user, now=NOW)
    with pytest.raises(Conflict) as exc:
        mfa_service.mfa_begin_setup(user=client_user, now=NOW)
    assert exc.value.code == "mfa_already_enabled"


def test_confirm_with_a_valid_code_turns_it_on_and_returns_ten_codes_once(client_user):
    device = mfa_service.mfa_begin_setup(user=client_user, now=NOW)
    session = _session(client_user)
    codes = mfa_service.mfa_confirm_setup(
        user=client_user,
        code=current_code(device, NOW),
        now=NOW,
        session_key=session.session_key,
    )
    assert len(codes) == len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed_at == NOW
    assert device.last_step == totp.step_at(NOW)
    stored = set(RecoveryCode.objects.filter(user=client_user).values_list("code_hash", flat=True))
    assert stored == {totp.hash_recovery_code(c) for c in codes}
    assert not any(c in h for c in codes for h in stored)  # only hashes are stored
    session.refresh_from_db()
    assert session.mfa_verified
    assert _actions(client_user) == ["mfa.enabled"]


def test_confirm_with_a_wrong_code_keeps_it_off(client_user):
    device = mfa_service.mfa_begin_setup(user=client_user, now=NOW)
    wrong = current_code(device, NOW, 5)
    with pytest.raises(Invalid) as exc:
        mfa_service.mfa_confirm_setup(user=client_user, code=wrong, now=NOW, session_key=None)
    assert "code" in exc.value.fields
    assert not mfa_service.mfa_status(user=client_user).enabled
    assert not RecoveryCode.objects.filter(user=client_user).exists()


def test_confirm_without_setup_says_to_start(client_user):
    with pytest.raises(Conflict) as exc:
        mfa_service.mfa_confirm_setup(user=client_user, code="123456", now=NOW, session_key=None)
    assert exc.value.code == "mfa_setup_not_started"


# --- verifying at sign-in ------------------------------------------------------------------------


def test_valid_code_passes_and_is_audited(client_user):
    device, _ = enable_mfa(client_user, now=NOW)
    assert mfa_service.mfa_verify_login(
        user=client_user, code=current_code(device, NOW), now=NOW
    ) == ("totp")
    assert _actions(client_user)[-1] == "mfa.success"


def test_the_same_code_is_never_accepted_twice(client_user):
    device, _ = enable_mfa(client_user, now=NOW)
    code = current_code(device, NOW)
    mfa_service.mfa_verify_login(user=client_user, code=code, now=NOW)
    for later in (0, 15, 29):
        with pytest.raises(Invalid):
            mfa_service.mfa_verify_login(
                user=client_user, code=code, now=NOW + dt.timedelta(seconds=later)
            )
    failures = AuditEvent.objects.filter(
        subject_public_id=client_user.public_id, action="mfa.failure"
    )
    assert failures.count() == 3
    assert set(failures.values_list("outcome", flat=True)) == {"denied"}


def test_an_older_code_is_refused_once_a_newer_one_was_used(client_user):
    device, _ = enable_mfa(client_user, now=NOW)
    mfa_service.mfa_verify_login(user=client_user, code=current_code(device, NOW, 1), now=NOW)
    with pytest.raises(Invalid):
        mfa_service.mfa_verify_login(user=client_user, code=current_code(device, NOW), now=NOW)


@pytest.mark.parametrize(
    ("offset", "ok"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)]
)
def test_codes_one_step_either_side_are_accepted(make_user, offset, ok):
    user = make_user("client")
    device, _ = enable_mfa(user, now=NOW - dt.timedelta(minutes=5))
    code = current_code(device, NOW, offset)
    if ok:
        assert mfa_service.mfa_verify_login(user=user, code=code, now=NOW) == "totp"
    else:
        with pytest.raises(Invalid):
            mfa_service.mfa_verify_login(user=user, code=code, now=NOW)


def test_recovery_code_works_once_in_any_spelling(client_user):
    enable_mfa(client_user, now=NOW)
    codes = mfa_service.mfa_regenerate_recovery_codes(
        user=client_user,
        code=current_code(TOTPDevice.objects.get(user=client_user), NOW),
        now=NOW,
    )
    typed = codes[3].upper().replace("-", " ")
    assert mfa_service.mfa_verify_login(user=client_user, code=typed, now=NOW) == "recovery"
    assert mfa_service.mfa_status(user=client_user).recovery_codes_left == 9
    with pytest.raises(Invalid):
        mfa_service.mfa_verify_login(user=client_user, code=codes[3], now=NOW)
    actions = _actions(client_user)
    assert actions[-2:] == ["mfa.recovery_used", "mfa.failure"]


def test_verifying_without_a_confirmed_device_is_a_conflict(client_user):
    mfa_service.mfa_begin_setup(user=client_user, now=NOW)
    with pytest.raises(Conflict) as exc:
        mfa_service.mfa_verify_login(user=client_user, code="123456", now=NOW)
    assert exc.value.code == "mfa_not_enabled"


def test_ten_failures_in_15_minutes_lock_code_checks_until_the_window_passes(client_user):
    device, _ = enable_mfa(client_user, now=NOW)
    for i in range(mfa_service.MAX_FAILURES):
        with pytest.raises(Invalid):
            mfa_service.mfa_verify_login(
                user=client_user, code="000000", now=NOW + dt.timedelta(seconds=i)
            )
    later = NOW + dt.timedelta(minutes=1)
    with pytest.raises(RateLimited) as exc:
        # even the right code is refused while throttled
        mfa_service.mfa_verify_login(user=client_user, code=current_code(device, later), now=later)
    assert 0 < exc.value.retry_after_s <= 15 * 60
    after = NOW + dt.timedelta(minutes=15, seconds=1)
    assert (
        mfa_service.mfa_verify_login(user=client_user, code=current_code(device, after), now=after)
        == "totp"
    )


def test_verify_session_marks_the_session_verified(therapist):
    device, _ = enable_mfa(therapist, now=NOW)
    session = _session(therapist)
    mfa_service.mfa_verify_session(
        user=therapist, code=current_code(device, NOW), now=NOW, session_key=session.session_key
    )
    session.refresh_from_db()
    assert session.mfa_verified


# --- recovery codes, turning off -----------------------------------------------------------------


def test_regenerating_replaces_every_code_and_needs_an_app_code(client_user):
    device, old = enable_mfa(client_user, now=NOW)
    with pytest.raises(Invalid):
        mfa_service.mfa_regenerate_recovery_codes(user=client_user, code=old[0], now=NOW)
    new = mfa_service.mfa_regenerate_recovery_codes(
        user=client_user, code=current_code(device, NOW), now=NOW
    )
    assert not set(new) & set(old)
    with pytest.raises(Invalid):
        mfa_service.mfa_verify_login(user=client_user, code=old[0], now=NOW)
    assert "mfa.recovery_regenerated" in _actions(client_user)


def test_disable_needs_password_and_code(client_user, password):
    device, _ = enable_mfa(client_user, now=NOW)
    session = _session(client_user, verified=True)
    with pytest.raises(Invalid) as exc:
        mfa_service.mfa_disable(
            user=client_user, password="wrong", code=current_code(device, NOW), now=NOW
        )
    assert set(exc.value.fields) == {"password"}
    with pytest.raises(Invalid) as exc:
        mfa_service.mfa_disable(user=client_user, password=password, code="000000", now=NOW)
    assert set(exc.value.fields) == {"code"}
    mfa_service.mfa_disable(
        user=client_user, password=password, code=current_code(device, NOW), now=NOW
    )
    assert not TOTPDevice.objects.filter(user=client_user).exists()
    assert not RecoveryCode.objects.filter(user=client_user).exists()
    session.refresh_from_db()
    assert not session.mfa_verified
    assert _actions(client_user)[-1] == "mfa.disabled"


def test_staff_cannot_turn_two_factor_off(staff_user, password):
    device, _ = enable_mfa(staff_user, now=NOW)
    with pytest.raises(PermissionDenied) as exc:
        mfa_service.mfa_disable(
            user=staff_user, password=password, code=current_code(device, NOW), now=NOW
        )
    assert exc.value.code == "mfa_required_for_staff"
    assert mfa_service.mfa_status(user=staff_user).enabled


def test_no_secret_or_code_reaches_the_audit_log(client_user):
    with time_machine.travel(NOW, tick=False):
        device, codes = enable_mfa(client_user, now=NOW)
        mfa_service.mfa_verify_login(user=client_user, code=codes[0], now=NOW)
    rows = AuditEvent.objects.filter(subject_public_id=client_user.public_id)
    text = " ".join(f"{r.object_type} {r.object_id} {r.request_id}" for r in rows)
    assert device.secret not in text
    assert not any(code in text or code.replace("-", "") in text for code in codes)
