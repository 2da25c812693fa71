"""Pure credential rules (issue 5 item 2): dates, fields, evidence sniffing, notice predicates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backrelief.therapists import credentials as rules

TODAY = dt.date(2026, 3, 3)
D = dt.date

PDF = b"%PDF-1.7\n..."
PNG = b"\x89PNG\r\n\x1a\n\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"


@pytest.mark.parametrize(
    ("issued", "expires", "expected"),
    [
        (D(2020, 1, 1), D(2030, 1, 1), set()),
        (D(2020, 1, 1), TODAY, set()),  # expiring today is still current
        (TODAY, D(2027, 1, 1), set()),  # issued today
        (D(2026, 3, 4), D(2030, 1, 1), {"issued_on"}),  # issued tomorrow
        (D(2020, 1, 1), D(2020, 1, 1), {"expires_on"}),  # expiry = issue
        (D(2020, 1, 1), D(2019, 1, 1), {"expires_on"}),  # expiry before issue
        (D(2020, 1, 1), D(2026, 3, 2), {"expires_on"}),  # expired yesterday
        (D(2026, 4, 1), D(2026, 3, 1), {"issued_on", "expires_on"}),
    ],
)
def test_licence_dates_table(issued, expires, expected):
    assert set(rules.licence_date_errors(issued_on=issued, expires_on=expires, today=TODAY)) == (
        expected
    )


def test_expiry_before_issue_says_so():
    errors = rules.licence_date_errors(
        issued_on=D(2020, 1, 1), expires_on=D(2019, 1, 1), today=TODAY
    )
    assert errors["expires_on"] == ["The expiry date must be after the issue date."]


def test_an_expired_licence_is_refused_with_its_date():
    errors = rules.licence_date_errors(
        issued_on=D(2020, 1, 1), expires_on=D(2025, 12, 31), today=TODAY
    )
    assert errors["expires_on"] == [
        "This licence expired on 31 December 2025; submit a current one."
    ]


@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("country", "DE", True),
        ("country", "de", False),  # services upper-case before checking
        ("country", "XX", False),
        ("country", "", False),
        ("registry", "", False),
        ("registry", "x" * 150, True),
        ("registry", "x" * 151, False),
        ("registry", "Board\x00", False),
        ("number", "", False),
        ("number", "N" * 64, True),
        ("number", "N" * 65, False),
        ("region", "", True),
        ("region", "r" * 101, False),
    ],
)
def test_licence_field_table(field, value, ok):
    values = {"country": "DE", "region": "", "registry": "Board", "number": "A1"}
    values[field] = value
    errors = rules.licence_field_errors(
        **values, issued_on=D(2020, 1, 1), expires_on=D(2030, 1, 1), today=TODAY
    )
    assert (field not in errors) is ok


def test_licence_numbers_compare_without_case_and_spacing():
    assert rules.clean_licence_number("  ab   12 3 ") == "AB 12 3"
    assert rules.clean_text(" Board   of  Health ") == "Board of Health"


@pytest.mark.parametrize(
    ("field", "values", "ok"),
    [
        ("technique", {"technique": "swedish"}, True),
        ("technique", {"technique": "reiki-ish"}, False),
        ("provider", {"provider": ""}, False),
        ("provider", {"provider": "p" * 151}, False),
        ("hours", {"hours": 0}, False),
        ("hours", {"hours": 1}, True),
        ("hours", {"hours": 10_000}, True),
        ("hours", {"hours": 10_001}, False),
        ("hours", {"hours": -5}, False),
        ("completed_on", {"completed_on": TODAY}, True),
        ("completed_on", {"completed_on": D(2026, 3, 4)}, False),
    ],
)
def test_certification_field_table(field, values, ok):
    base: dict[str, Any] = {
        "technique": "swedish",
        "provider": "School",
        "hours": 100,
        "completed_on": TODAY,
    }
    base.update(values)
    errors = rules.certification_field_errors(**base, today=TODAY)
    assert (field not in errors) is ok


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (b"GIF89a", None),
        (b"<html>", None),
        (b"%PDF", None),  # too short to be a PDF header
        (b"", None),
        (b"PK\x03\x04", None),  # zip / docx
    ],
)
def test_evidence_is_recognised_by_its_first_bytes(head, expected):
    assert rules.evidence_content_type(head) == expected


@pytest.mark.parametrize(
    ("size", "head", "ok"),
    [
        (1000, PDF, True),
        (rules.MAX_EVIDENCE_BYTES, PNG, True),
        (rules.MAX_EVIDENCE_BYTES + 1, PNG, False),
        (0, b"", False),
        (1000, b"MZ\x90\x00", False),
    ],
)
def test_evidence_errors_table(size, head, ok):
    assert (rules.evidence_errors(size=size, head=head) == []) is ok


def test_oversized_and_wrong_type_messages_say_what_to_do():
    assert "larger than 10 MB" in rules.evidence_errors(size=11 * 1024 * 1024, head=PDF)[0]
    assert "PDF, PNG or JPEG" in rules.evidence_errors(size=10, head=b"GIF89a")[0]


def test_rejection_needs_a_reason_of_at_most_500_characters():
    assert rules.rejection_reason_errors("")
    assert rules.rejection_reason_errors("x" * 501)
    assert rules.rejection_reason_errors("Number not in the register.") == []


@pytest.mark.parametrize(
    ("verified", "expires", "sent", "due"),
    [
        (True, D(2026, 4, 2), False, True),  # 30 days ahead
        (True, D(2026, 4, 3), False, False),  # 31 days ahead
        (True, TODAY, False, True),  # expires today
        (True, D(2026, 3, 2), False, False),  # already expired: the other notice
        (True, D(2026, 3, 10), True, False),  # already sent
        (False, D(2026, 3, 10), False, False),  # pending or rejected
    ],
)
def test_expiry_warning_table(verified, expires, sent, due):
    assert (
        rules.expiry_warning_due(
            verified=verified, expires_on=expires, warning_sent=sent, today=TODAY
        )
        is due
    )


@pytest.mark.parametrize(
    ("verified", "expires", "sent", "due"),
    [
        (True, D(2026, 3, 2), False, True),  # expired yesterday
        (True, TODAY, False, False),  # still current today
        (True, D(2026, 2, 1), False, True),  # 30 days ago
        (True, D(2026, 1, 31), False, False),  # 31 days ago: too old to mail about
        (True, D(2026, 3, 2), True, False),
        (False, D(2026, 3, 2), False, False),
    ],
)
def test_expired_notice_table(verified, expires, sent, due):
    assert (
        rules.expired_notice_due(
            verified=verified, expires_on=expires, notice_sent=sent, today=TODAY
        )
        is due
    )


@given(
    today=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)),
    offset=st.integers(min_value=-400, max_value=400),
)
def test_windows_match_the_predicates(today, offset):
    expires = today + dt.timedelta(days=offset)
    lo, hi = rules.warning_window(today)
    assert (lo <= expires <= hi) is rules.expiry_warning_due(
        verified=True, expires_on=expires, warning_sent=False, today=today
    )
    lo, hi = rules.expired_window(today)
    assert (lo <= expires <= hi) is rules.expired_notice_due(
        verified=True, expires_on=expires, notice_sent=False, today=today
    )
    # Never both on one day.
    assert not (
        rules.expiry_warning_due(verified=True, expires_on=expires, warning_sent=False, today=today)
        and rules.expired_notice_due(
            verified=True, expires_on=expires, notice_sent=False, today=today
        )
    )


def test_changed_fields_lists_only_differences():
    assert rules.changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == ["b"]
    assert rules.changed_fields({"a": 1}, {"a": 1}) == []
