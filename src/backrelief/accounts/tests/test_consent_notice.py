"""The consent notice as reviewable data (issue 2 §7; STYLE rule 2). No database."""

from __future__ import annotations

import pytest
from django.utils import translation

from backrelief.accounts.consent_notice import NOTICE_VERSION, NOTICES, notice_for
from backrelief.accounts.models import Consent, ConsentPurpose


def test_the_version_fits_the_column_stored_beside_every_consent():
    max_length = Consent._meta.get_field("notice_version").max_length
    assert max_length is not None
    assert 0 < len(NOTICE_VERSION) <= max_length


@pytest.mark.parametrize("purpose", ConsentPurpose.values)
def test_every_purpose_has_a_plain_language_notice(purpose):
    notice = notice_for(purpose)
    assert notice.purpose == purpose
    assert str(notice.title)
    assert len(str(notice.summary)) > 40
    assert notice.points


def test_there_are_no_notices_for_unknown_purposes():
    assert set(NOTICES) == set(ConsentPurpose.values)


@pytest.mark.parametrize("purpose", ConsentPurpose.values)
def test_every_notice_says_how_withdrawal_works(purpose):
    with translation.override("en"):
        text = " ".join(str(p) for p in notice_for(purpose).points)
    assert "withdraw" in text.lower()
    assert "read access" in text


def test_notices_never_promise_medical_outcomes():
    words = ("cure", "detox", "immunity", "cortisol", "cleared", "you are safe")
    with translation.override("en"):
        for notice in NOTICES.values():
            text = " ".join([str(notice.summary), *(str(p) for p in notice.points)]).lower()
            assert not any(word in text for word in words), notice.purpose
