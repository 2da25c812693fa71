"""The daily licence job and the listing rule with frozen time (issue 5 item 2 "Done when":
an expired licence unlists; the job only sends the 30-day and expiry notices, once each)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from backrelief.therapists.jobs import _claim_and_mail, licence_notices_send
from backrelief.therapists.models import Licence
from backrelief.therapists.selectors import therapist_list_listed
from backrelief.therapists.tests.factories import make_licence, make_profile

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
TOMORROW = TODAY + dt.timedelta(days=1)
DAY_AFTER = TODAY + dt.timedelta(days=2)


def _listed(now: dt.datetime) -> set[int]:
    return set(therapist_list_listed(now=now).values_list("pk", flat=True))


def _run(now: dt.datetime, capture: Any) -> Any:
    with capture(execute=True):
        return licence_notices_send(now=now)


def test_expiring_licence_warns_once_lists_until_expiry_then_unlists_and_notifies_once(
    therapist, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        make_licence(profile, expires_on=dt.date(2026, 12, 1), now=TODAY)
        assert profile.pk in _listed(TODAY)
        first = _run(TODAY, capture)
        assert (first.warnings_sent, first.expired_sent) == (1, 0)
        assert "expires on 1 December 2026" in mail.outbox[0].body
        assert mail.outbox[0].to == [therapist.email]
        second = _run(TODAY, capture)
        assert (second.warnings_sent, second.expired_sent) == (0, 0)
        assert len(mail.outbox) == 1
    with time_machine.travel(TOMORROW, tick=False):
        assert profile.pk in _listed(TOMORROW)  # the expiry day itself still lists
        assert _run(TOMORROW, capture).expired_sent == 0
    with time_machine.travel(DAY_AFTER, tick=False):
        assert profile.pk not in _listed(DAY_AFTER)
        result = _run(DAY_AFTER, capture)
        assert (result.warnings_sent, result.expired_sent) == (0, 1)
        assert "expired on 1 December 2026" in mail.outbox[-1].body
        assert _run(DAY_AFTER, capture).expired_sent == 0
        assert len(mail.outbox) == 2


def test_unlisting_does_not_need_the_job(therapist):
    """The job never ran: the listing is still decided at query time."""
    with time_machine.travel(DAY_AFTER, tick=False):
        profile = make_profile(therapist, now=DAY_AFTER)
        make_licence(profile, expires_on=dt.date(2026, 12, 1), now=DAY_AFTER)
        assert profile.pk not in _listed(DAY_AFTER)


def test_licence_expiry_at_utc_midnight_boundary(therapist):
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        make_licence(profile, expires_on=dt.date(2026, 12, 1), now=TODAY)
        last_second = dt.datetime(2026, 12, 1, 23, 59, 59, tzinfo=dt.UTC)
        first_second = dt.datetime(2026, 12, 2, 0, 0, 0, tzinfo=dt.UTC)
        assert profile.pk in _listed(last_second)
        assert profile.pk not in _listed(first_second)


@pytest.mark.parametrize(
    "licence",
    [
        {"status": "pending"},
        {"status": "rejected"},
        {"status": "verified", "expires_on": dt.date(2026, 11, 29)},
        None,
    ],
)
def test_therapist_without_a_verified_current_licence_is_never_listed(therapist, licence):
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        if licence is not None:
            make_licence(profile, now=TODAY, **licence)
        assert profile.pk not in _listed(TODAY)


def test_an_inactive_account_is_not_listed(therapist):
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        make_licence(profile, now=TODAY)
        therapist.is_active = False
        therapist.save()
        assert profile.pk not in _listed(TODAY)


def test_only_verified_licences_get_notices(therapist, django_capture_on_commit_callbacks):
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        make_licence(profile, status="pending", expires_on=dt.date(2026, 12, 5), now=TODAY)
        make_licence(profile, status="rejected", expires_on=dt.date(2026, 11, 20), now=TODAY)
        make_licence(profile, status="verified", expires_on=dt.date(2027, 6, 1), now=TODAY)
        result = _run(TODAY, django_capture_on_commit_callbacks)
        assert (result.warnings_sent, result.expired_sent) == (0, 0)
        assert mail.outbox == []


def test_licences_that_lapsed_long_ago_get_no_expired_notice(
    therapist, django_capture_on_commit_callbacks
):
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        make_licence(profile, status="verified", expires_on=dt.date(2025, 1, 1), now=TODAY)
        assert _run(TODAY, django_capture_on_commit_callbacks).expired_sent == 0


def test_a_second_worker_cannot_claim_the_same_notice(
    therapist, django_capture_on_commit_callbacks
):
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        licence = make_licence(profile, expires_on=dt.date(2026, 12, 10), now=TODAY)
        window = (dt.date(2026, 11, 30), dt.date(2026, 12, 30))
        args: dict[str, Any] = {
            "pk": licence.pk,
            "claim_field": "expiry_warning_sent_at",
            "window": window,
            "kind": "licence_expiry_warning",
            "subject": "s",
            "now": TODAY,
        }
        with django_capture_on_commit_callbacks(execute=True):
            assert _claim_and_mail(**args) is True
            assert _claim_and_mail(**args) is False
        assert len(mail.outbox) == 1
        assert Licence.objects.get(pk=licence.pk).expiry_warning_sent_at == TODAY


def test_notices_carry_no_health_data_and_skip_unverified_addresses(
    make_user, django_capture_on_commit_callbacks
):
    user = make_user("therapist", verified=False)
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(user, now=TODAY)
        make_licence(profile, expires_on=dt.date(2026, 12, 10), now=TODAY)
        result = _run(TODAY, django_capture_on_commit_callbacks)
        assert result.warnings_sent == 1  # claimed, so not retried
        assert mail.outbox == []


def test_command_prints_what_it_sent(therapist, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=False):
        profile = make_profile(therapist, now=TODAY)
        make_licence(profile, expires_on=dt.date(2026, 12, 10), now=TODAY)
        out = io.StringIO()
        call_command("licence_notices", stdout=out)
        assert out.getvalue().strip() == (
            "Sent 1 expiry warnings and 0 expired notices; removed 0 orphaned evidence files."
        )
