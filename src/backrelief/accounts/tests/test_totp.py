"""The pure TOTP and recovery-code rules (issue 2 §6, RFC 6238): no database, no real clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.accounts import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
T0 = dt.datetime(2026, 3, 29, 0, 59, 45, tzinfo=dt.UTC)  # mid-step: step boundary at :00/:30

# RFC 6238 Appendix B, SHA-1 column (8 digits there; the last 6 are the 6-digit code).
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32("12345678901234567890")
RFC_VECTORS = [
    (59, "287082"),
    (1111111109, "081804"),
    (1111111111, "050471"),
    (1234567890, "005924"),
    (2000000000, "279037"),
    (20000000000, "353130"),
]


@pytest.mark.parametrize(("unix", "code"), RFC_VECTORS)
def test_codes_match_the_rfc_6238_test_vectors(unix, code):
    now = dt.datetime.fromtimestamp(unix, tz=dt.UTC)
    assert totp.code_at_step(RFC_SECRET, totp.step_at(now)) == code
    assert totp.totp_match(secret=RFC_SECRET, code=code, now=now, last_step=None) == totp.step_at(
        now
    )


def test_step_at_refuses_naive_times():
    with pytest.raises(ValueError, match="aware"):
        totp.step_at(dt.datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("offset_steps", "accepted"),
    [(-2, False), (-1, True), (0, True), (1, True), (2, False)],
)
def test_window_is_one_step_either_side(offset_steps, accepted):
    step = totp.step_at(T0) + offset_steps
    code = totp.code_at_step(SECRET, step)
    matched = totp.totp_match(secret=SECRET, code=code, now=T0, last_step=None)
    assert (matched == step) is accepted


def test_a_step_at_or_before_the_last_used_one_is_refused():
    current = totp.step_at(T0)
    code = totp.code_at_step(SECRET, current)
    assert totp.totp_match(secret=SECRET, code=code, now=T0, last_step=current - 1) == current
    assert totp.totp_match(secret=SECRET, code=code, now=T0, last_step=current) is None
    assert totp.totp_match(secret=SECRET, code=code, now=T0, last_step=current + 1) is None
    previous = totp.code_at_step(SECRET, current - 1)
    assert totp.totp_match(secret=SECRET, code=previous, now=T0, last_step=current - 1) is None


@pytest.mark.parametrize(
    "typed",
    ["{c}", " {c} ", "{a} {b}", "{a}-{b}", "{a}\t{b}"],
    ids=["plain", "padded", "sp", "-", "tab"],
)
def test_typed_code_may_contain_spaces_and_dashes(typed):
    code = totp.code_at_step(SECRET, totp.step_at(T0))
    raw = typed.format(c=code, a=code[:3], b=code[3:])
    assert totp.totp_match(secret=SECRET, code=raw, now=T0, last_step=None) == totp.step_at(T0)


@pytest.mark.parametrize("raw", ["", "12345", "1234567", "abcdef", "１２３４５６", "1" * 10_000])
def test_malformed_codes_never_match(raw):
    assert totp.totp_match(secret=SECRET, code=raw, now=T0, last_step=None) is None


@given(
    unix=st.integers(min_value=60, max_value=253_402_300_000 - 60),
    offset=st.integers(min_value=-1, max_value=1),
)
def test_property_code_of_any_step_in_window_matches_that_step_once(unix, offset):
    now = dt.datetime.fromtimestamp(unix, tz=dt.UTC)
    step = totp.step_at(now) + offset
    code = totp.code_at_step(SECRET, step)
    matched = totp.totp_match(secret=SECRET, code=code, now=now, last_step=None)
    assert matched is not None
    assert abs(matched - totp.step_at(now)) <= 1
    # after use, the same code is never accepted again at any time in its window
    for later in (0, 29, 30, 59):
        then = now + dt.timedelta(seconds=later)
        assert totp.totp_match(secret=SECRET, code=code, now=then, last_step=matched) is None


@given(unix=st.integers(min_value=60, max_value=4_000_000_000), far=st.integers(2, 10_000))
def test_property_codes_outside_the_window_are_refused_unless_they_collide(unix, far):
    now = dt.datetime.fromtimestamp(unix, tz=dt.UTC)
    current = totp.step_at(now)
    code = totp.code_at_step(SECRET, current + far)
    window_codes = {totp.code_at_step(SECRET, current + i) for i in (-1, 0, 1)}
    matched = totp.totp_match(secret=SECRET, code=code, now=now, last_step=None)
    assert (matched is not None) == (code in window_codes)


def test_new_secrets_are_160_bit_base32_and_distinct():
    secrets_ = {totp.new_secret() for _ in range(50)}
    assert len(secrets_) == 50
    for secret in secrets_:
        assert len(secret) == 32
        assert set(secret) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def test_provisioning_uri_names_issuer_and_account():
    uri = totp.provisioning_uri(secret=SECRET, account="cleo@example.test")
    assert uri.startswith("otpauth://totp/BackRelief:cleo%40example.test?")
    assert f"secret={SECRET}" in uri
    assert "issuer=BackRelief" in uri


def test_format_secret_groups_by_four():
    assert totp.format_secret("ABCDEFGHIJ") == "ABCD EFGH IJ"


# --- recovery codes -------------------------------------------------------------------------


def test_ten_distinct_recovery_codes_shaped_xxxx_xxxx_xx():
    codes = totp.generate_recovery_codes()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    for code in codes:
        head, mid, tail = code.split("-")
        assert (len(head), len(mid), len(tail)) == (4, 4, 2)
        assert set(head + mid + tail) <= set(totp.RECOVERY_ALPHABET)


def test_recovery_codes_carry_at_least_50_bits():
    assert len(totp.RECOVERY_ALPHABET) == len(set(totp.RECOVERY_ALPHABET)) == 32
    assert totp.RECOVERY_SYMBOLS * math.log2(len(totp.RECOVERY_ALPHABET)) >= 50
    assert totp.RECOVERY_BITS >= 50


def test_recovery_hash_is_sha256_of_the_normalised_code():
    assert totp.hash_recovery_code("ABCD-EFGH-JK") == hashlib.sha256(b"abcdefghjk").hexdigest()


@pytest.mark.parametrize("raw", ["", "abcd-efgh-j", "abcd-efgh-jkm", "abcd-efgh-j!", "u" * 10])
def test_non_codes_have_no_hash(raw):
    assert totp.hash_recovery_code(raw) is None


def test_confusable_letters_read_as_digits():
    assert totp.normalise_recovery_code("O1LI-0000-00") == totp.normalise_recovery_code(
        "0111-0000-00"
    )


@st.composite
def _retyped(draw: st.DrawFn) -> tuple[str, str]:
    """A generated code and a way a person might type it back."""
    code = totp.generate_recovery_codes(1)[0]
    symbols = code.replace("-", "")
    out = []
    for char in symbols:
        char = draw(st.sampled_from([char, char.upper()]))
        out.append(char)
        out.append(draw(st.sampled_from(["", "", " ", "-", "  "])))
    return code, draw(st.sampled_from(["", " "])) + "".join(out)


@given(_retyped())
def test_property_case_spaces_and_dashes_do_not_change_the_hash(pair):
    code, typed = pair
    assert totp.hash_recovery_code(typed) == totp.hash_recovery_code(code) is not None


@given(st.text(max_size=80))
def test_property_normalising_arbitrary_text_never_fails(raw):
    result = totp.normalise_recovery_code(raw)
    assert result is None or (len(result) == 10 and set(result) <= set(totp.RECOVERY_ALPHABET))
    digits = totp.normalise_totp_input(raw)
    assert digits is None or (len(digits) == 6 and digits.isdigit())
