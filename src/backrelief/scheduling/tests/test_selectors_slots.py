"""selectors_slots: free slots from the database (issue 6 items 3-4), persona-independent."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backrelief.core.errors import Invalid, NotFound
from backrelief.scheduling.models import DateOverride, SchedulingPolicy, TimeOff, WeeklyHours
from backrelief.scheduling.selectors_slots import (
    SlotList,
    service_get_bookable,
    slot_is_free,
    slot_list,
    slot_list_public,
    slot_request_problems,
)
from backrelief.therapists.models import Service
from backrelief.therapists.tests.factories import (
    make_booking,
    make_licence,
    make_profile,
    make_service,
)

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
# Monday 2 March 2026, 08:00 UTC (09:00 in Berlin)
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
WEDNESDAY = dt.date(2026, 3, 4)


def berlin(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BERLIN).astimezone(dt.UTC)


def setup_therapist(user, *, zone="Europe/Berlin", weekdays=range(5), hours=((9, 17),), **svc):
    profile = make_profile(user, time_zone=zone, now=NOW)
    service = make_service(
        profile,
        duration_min=svc.pop("duration_min", 60),
        buffer_min=svc.pop("buffer_min", 10),
        now=NOW,
        **svc,
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(therapist=profile, weekday=d, start_time=dt.time(a), end_time=dt.time(b))
        for d in weekdays
        for a, b in hours
    )
    return profile, Service.objects.get(pk=service.pk)  # fresh: nothing cached


def set_policy(profile, **fields):
    SchedulingPolicy.objects.create(therapist=profile, updated_at=NOW, **fields)


def starts(found) -> list[dt.datetime]:
    return [slot.start for slot in found]


def test_a_working_day_offers_every_quarter_hour_whose_session_ends_by_the_end(therapist):
    _, service = setup_therapist(therapist)
    with time_machine.travel(NOW, tick=False):
        found = slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW)
        assert isinstance(found, SlotList)
        assert found.therapist_time_zone == "Europe/Berlin"
        assert found.time_zone == "Europe/Berlin"
        assert len(found) == 29  # 09:00 ... 16:00 Berlin
        assert found[0].start == berlin(4, 9)
        assert found[-1].start == berlin(4, 16)
        assert found[0].end == berlin(4, 10)
        assert starts(found[:2]) == [berlin(4, 9), berlin(4, 9, 15)]
        assert all(s.start.tzinfo == dt.UTC for s in found)


def test_without_a_policy_row_the_defaults_apply_and_nothing_is_written(therapist):
    profile, service = setup_therapist(therapist)
    with time_machine.travel(NOW, tick=False):
        # default notice 12 h: Monday 08:00 UTC + 12 h = 20:00 UTC, after Monday's hours
        monday = slot_list(
            service=service, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2), now=NOW
        )
        assert len(monday) == 0
        tuesday = slot_list(
            service=service, start=dt.date(2026, 3, 3), end=dt.date(2026, 3, 3), now=NOW
        )
        assert tuesday[0].start == berlin(3, 9)
        assert not SchedulingPolicy.objects.filter(therapist=profile).exists()


def test_minimum_notice_clips_the_first_slots(therapist):
    profile, service = setup_therapist(therapist)
    set_policy(profile, min_notice_minutes=90)
    with time_machine.travel(NOW, tick=False):
        found = slot_list(
            service=service, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2), now=NOW
        )
        assert found[0].start == berlin(2, 10, 30)  # 09:00 + 90 min


def test_the_horizon_ends_the_offer(therapist):
    profile, service = setup_therapist(therapist, weekdays=range(7))
    set_policy(profile, min_notice_minutes=0, horizon_days=2)
    with time_machine.travel(NOW, tick=False):
        found = slot_list(
            service=service, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 10), now=NOW
        )
        # two days from Monday 09:00 Berlin: up to Wednesday 09:00, which is not included
        assert {s.start.astimezone(BERLIN).date() for s in found} == {
            dt.date(2026, 3, 2),
            dt.date(2026, 3, 3),
        }
        assert found[-1].start == berlin(3, 16)


def test_a_custom_step_sets_the_grid(therapist):
    profile, service = setup_therapist(therapist)
    set_policy(profile, slot_step_minutes=60)
    with time_machine.travel(NOW, tick=False):
        found = slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW)
        assert starts(found) == [berlin(4, h) for h in range(9, 17)]


def test_a_booking_blocks_its_session_and_buffer_and_a_new_session_with_its_buffer(
    therapist, client_user
):
    profile, service = setup_therapist(therapist)
    make_booking(client_user, profile, start=berlin(4, 10), service=service, now=NOW)
    with time_machine.travel(NOW, tick=False):
        found = starts(slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW))
        # blocked: a new session + its 10-minute buffer would reach past 10:00, or start
        # before the booking's buffer ends at 11:10
        assert berlin(4, 9) not in found
        assert berlin(4, 11) not in found
        assert found[0] == berlin(4, 11, 15)


def test_a_session_ending_with_its_buffer_exactly_at_a_booking_is_offered(therapist, client_user):
    profile, service = setup_therapist(therapist, buffer_min=0)
    make_booking(client_user, profile, start=berlin(4, 10), service=service, now=NOW)
    with time_machine.travel(NOW, tick=False):
        found = starts(slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW))
        assert found[0] == berlin(4, 9)
        assert berlin(4, 9, 15) not in found
        assert berlin(4, 11) in found


@pytest.mark.parametrize(
    ("status", "held_minutes", "blocks"),
    [
        ("confirmed", None, True),
        ("completed", None, True),
        ("no_show", None, True),
        ("cancelled", None, False),
        ("held", 10, True),  # the hold has not expired
        ("held", -1, False),  # expired a minute ago
    ],
)
def test_active_bookings_block_and_cancelled_or_expired_holds_do_not(
    therapist, client_user, status, held_minutes, blocks
):
    profile, service = setup_therapist(therapist)
    extra: dict[str, Any] = {}
    if held_minutes is not None:
        extra["held_until"] = NOW + dt.timedelta(minutes=held_minutes)
    make_booking(
        client_user, profile, start=berlin(4, 12), status=status, service=service, now=NOW, **extra
    )
    with time_machine.travel(NOW, tick=False):
        found = starts(slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW))
        assert (berlin(4, 12) not in found) == blocks


def test_another_therapists_booking_does_not_block(therapist, other_therapist, client_user):
    _, service = setup_therapist(therapist)
    other, other_service = setup_therapist(other_therapist)
    make_booking(client_user, other, start=berlin(4, 12), service=other_service, now=NOW)
    with time_machine.travel(NOW, tick=False):
        found = starts(slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW))
        assert berlin(4, 12) in found


def test_time_off_removes_its_time_and_the_buffer_may_run_into_it(therapist):
    profile, service = setup_therapist(therapist)
    TimeOff.objects.create(
        therapist=profile, start=berlin(4, 12), end=berlin(4, 14), created_at=NOW
    )
    with time_machine.travel(NOW, tick=False):
        found = starts(slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW))
        assert berlin(4, 11) in found  # 11:00-12:00, buffer into the time off
        assert berlin(4, 11, 15) not in found
        assert berlin(4, 13) not in found
        assert berlin(4, 14) in found


def test_a_date_override_replaces_the_week_and_a_closed_override_closes_the_day(therapist):
    profile, service = setup_therapist(therapist)
    DateOverride.objects.create(
        therapist=profile, date=WEDNESDAY, start_time=dt.time(18), end_time=dt.time(20)
    )
    DateOverride.objects.create(therapist=profile, date=dt.date(2026, 3, 5), closed=True)
    DateOverride.objects.create(
        therapist=profile, date=dt.date(2026, 3, 7), start_time=dt.time(10), end_time=dt.time(11)
    )
    with time_machine.travel(NOW, tick=False):
        found = starts(
            slot_list(service=service, start=WEDNESDAY, end=dt.date(2026, 3, 7), now=NOW)
        )
        by_day: dict[dt.date, list[str]] = {}
        for s in found:
            local = s.astimezone(BERLIN)
            by_day.setdefault(local.date(), []).append(f"{local:%H:%M}")
        assert by_day[WEDNESDAY] == ["18:00", "18:15", "18:30", "18:45", "19:00"]
        assert dt.date(2026, 3, 5) not in by_day  # closed
        assert len(by_day[dt.date(2026, 3, 6)]) == 29  # Friday: the weekly hours
        assert by_day[dt.date(2026, 3, 7)] == ["10:00"]  # Saturday opened by an override


def test_a_month_of_slots_takes_at_most_three_queries(
    therapist, client_user, django_assert_max_num_queries
):
    profile, service = setup_therapist(therapist, hours=((9, 12), (13, 18)))
    set_policy(profile, min_notice_minutes=0)
    DateOverride.objects.create(therapist=profile, date=dt.date(2026, 3, 10), closed=True)
    TimeOff.objects.create(
        therapist=profile, start=berlin(16, 0), end=berlin(18, 0), created_at=NOW
    )
    for day in range(3, 28):
        make_booking(client_user, profile, start=berlin(day, 10), service=service, now=NOW)
    # the service with its therapist, as the API and the booking service load it
    service = Service.objects.select_related("therapist").get(pk=service.pk)
    with time_machine.travel(NOW, tick=False):
        with django_assert_max_num_queries(3):
            found = slot_list(
                service=service, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 31), now=NOW
            )
        assert len(found) > 300
        with django_assert_max_num_queries(3):
            assert slot_is_free(service=service, start=found[0].start, now=NOW)
    # with the policy select_related too, two queries are left
    service = Service.objects.select_related("therapist__scheduling_policy").get(pk=service.pk)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(2):
        slot_list(service=service, start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 31), now=NOW)


def test_slot_is_free_recomputes_one_start_exactly(therapist, client_user):
    profile, service = setup_therapist(therapist)
    make_booking(client_user, profile, start=berlin(4, 12), service=service, now=NOW)
    with time_machine.travel(NOW, tick=False):
        assert slot_is_free(service=service, start=berlin(4, 10), now=NOW)
        # the same instant in another zone is the same slot
        assert slot_is_free(service=service, start=berlin(4, 10).astimezone(NEW_YORK), now=NOW)
        assert not slot_is_free(service=service, start=berlin(4, 10, 5), now=NOW)  # off grid
        assert not slot_is_free(service=service, start=berlin(4, 12), now=NOW)  # taken
        assert not slot_is_free(service=service, start=berlin(4, 11, 30), now=NOW)  # + buffer
        assert not slot_is_free(service=service, start=berlin(4, 16, 15), now=NOW)  # ends late
        assert not slot_is_free(service=service, start=berlin(4, 8), now=NOW)  # before hours
        assert not slot_is_free(service=service, start=berlin(2, 12), now=NOW)  # within notice
        assert not slot_is_free(service=service, start=berlin(7, 10), now=NOW)  # Saturday
        assert not slot_is_free(service=service, start=berlin(5, 10, month=5), now=NOW)  # horizon
        with pytest.raises(ValueError, match="aware"):
            slot_is_free(service=service, start=dt.datetime(2026, 3, 4, 10), now=NOW)


def test_slot_list_and_slot_is_free_agree(therapist, client_user):
    profile, service = setup_therapist(therapist)
    make_booking(client_user, profile, start=berlin(4, 12), service=service, now=NOW)
    with time_machine.travel(NOW, tick=False):
        listed = set(starts(slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW)))
        for minute in range(8 * 60, 18 * 60, 5):
            start = berlin(4, 0) + dt.timedelta(minutes=minute)
            assert slot_is_free(service=service, start=start, now=NOW) == (start in listed)


def test_an_unknown_zone_is_refused(therapist):
    _, service = setup_therapist(therapist)
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Invalid) as caught:
            slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW, zone="Mars/Base")
        assert "time_zone" in caught.value.fields


def test_the_range_is_read_in_the_given_zone(therapist):
    _, service = setup_therapist(therapist, weekdays=range(7), hours=((0, 23),))
    with time_machine.travel(NOW, tick=False):
        found = slot_list(
            service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW, zone="America/New_York"
        )
        assert found.time_zone == "America/New_York"
        assert found[0].start == dt.datetime(2026, 3, 4, 0, 0, tzinfo=NEW_YORK)
        assert found[-1].start == dt.datetime(2026, 3, 4, 23, 45, tzinfo=NEW_YORK)


# --- daylight saving: 09:00 in the therapist's zone stays 09:00 -----------------------------


def test_berlin_therapist_and_new_york_client_across_both_changes(therapist):
    """Berlin changes on 29 March 2026, New York on 8 March: the therapist's 09:00 stays
    09:00 in Berlin all month, while the client sees 03:00, then 04:00 (8-28 March), then
    03:00 again."""
    profile, service = setup_therapist(therapist, weekdays=range(7), hours=((9, 10),))
    set_policy(profile, min_notice_minutes=0)
    now = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        found = slot_list(
            service=service,
            start=dt.date(2026, 3, 1),
            end=dt.date(2026, 3, 31),
            now=now,
            zone="America/New_York",
        )
        assert len(found) == 31
        for slot in found:
            assert slot.start.astimezone(BERLIN).time() == dt.time(9, 0)
            client = slot.start.astimezone(NEW_YORK)
            if dt.date(2026, 3, 8) <= client.date() < dt.date(2026, 3, 29):
                assert client.time() == dt.time(4, 0), client
            else:
                assert client.time() == dt.time(3, 0), client
        assert found[0].start == dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)  # CET
        assert found[-1].start == dt.datetime(2026, 3, 31, 7, 0, tzinfo=dt.UTC)  # CEST


def test_no_slot_at_the_missing_hour_of_the_berlin_spring_forward(therapist):
    profile, service = setup_therapist(therapist, weekdays=[6], hours=((1, 5),))
    set_policy(profile, min_notice_minutes=0, slot_step_minutes=30)
    now = dt.datetime(2026, 3, 20, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        found = slot_list(
            service=service, start=dt.date(2026, 3, 29), end=dt.date(2026, 3, 29), now=now
        )
        walls = [f"{s.start.astimezone(BERLIN):%H:%M %Z}" for s in found]
        assert walls == ["01:00 CET", "01:30 CET", "03:00 CEST", "03:30 CEST", "04:00 CEST"]


def test_sydney_therapist_keeps_nine_across_the_april_change_for_a_berlin_client(therapist):
    profile, service = setup_therapist(
        therapist, zone="Australia/Sydney", weekdays=range(7), hours=((9, 10),)
    )
    set_policy(profile, min_notice_minutes=0)
    now = dt.datetime(2026, 3, 30, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        found = slot_list(
            service=service,
            start=dt.date(2026, 4, 1),
            end=dt.date(2026, 4, 10),
            now=now,
            zone="Europe/Berlin",
        )
        assert found.therapist_time_zone == "Australia/Sydney"
        assert {s.start.astimezone(SYDNEY).time() for s in found} == {dt.time(9, 0)}
        berlin_walls = {
            s.start.astimezone(BERLIN).date(): s.start.astimezone(BERLIN) for s in found
        }
        # Sydney 09:00 AEDT = 00:00 CEST (UTC+11 vs +2); after 5 April AEST: 01:00 CEST
        assert berlin_walls[dt.date(2026, 4, 3)].time() == dt.time(0, 0)
        assert berlin_walls[dt.date(2026, 4, 8)].time() == dt.time(1, 0)


# --- the public entry point -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "zone", "fields"),
    [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), "UTC", set()),
        (dt.date(2026, 3, 1), dt.date(2026, 5, 1), "Europe/Berlin", set()),  # 62 days
        (dt.date(2026, 3, 1), dt.date(2026, 5, 2), "Europe/Berlin", {"to"}),  # 63 days
        (dt.date(2026, 3, 2), dt.date(2026, 3, 1), "UTC", {"to"}),
        (dt.date(1999, 12, 31), dt.date(2000, 1, 1), "UTC", {"from"}),
        (dt.date(2099, 12, 31), dt.date(9999, 12, 31), "UTC", {"to"}),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 1), "Europe/Atlantis", {"tz"}),
        (dt.date(2026, 3, 2), dt.date(2026, 3, 1), "Factory", {"to", "tz"}),
    ],
)
def test_slot_request_problems_name_each_field(start, end, zone, fields):
    assert set(slot_request_problems(start=start, end=end, zone=zone)) == fields


def test_slot_list_public_checks_input_before_looking_anything_up(django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(Invalid) as caught:
        slot_list_public(
            service_id="00000000-0000-0000-0000-000000000000",
            start=WEDNESDAY,
            end=WEDNESDAY,
            zone="Nowhere",
            now=NOW,
        )
    assert list(caught.value.fields) == ["tz"]


def test_service_get_bookable_is_one_query_and_brings_therapist_and_policy(
    therapist, django_assert_num_queries
):
    profile, service = setup_therapist(therapist)
    make_licence(profile, now=NOW)
    set_policy(profile, slot_step_minutes=30)
    with django_assert_num_queries(1):
        found = service_get_bookable(public_id=service.public_id, now=NOW)
        assert found.therapist.scheduling_policy.slot_step_minutes == 30
    with pytest.raises(NotFound):
        service_get_bookable(public_id="not-a-uuid", now=NOW)


def test_service_get_bookable_refuses_unlisted_therapists_and_retired_services(therapist):
    profile, service = setup_therapist(therapist)
    with pytest.raises(NotFound):
        service_get_bookable(public_id=service.public_id, now=NOW)  # no licence
    make_licence(profile, now=NOW)
    assert service_get_bookable(public_id=service.public_id, now=NOW) == service
    Service.objects.filter(pk=service.pk).update(active=False)
    with pytest.raises(NotFound):
        service_get_bookable(public_id=service.public_id, now=NOW)


def test_slot_list_reads_an_aware_datetime_as_its_date_in_the_zone(therapist):
    _, service = setup_therapist(therapist)
    with time_machine.travel(NOW, tick=False):
        # 23:30 UTC on Tuesday is already Wednesday in Berlin
        found = slot_list(
            service=service,
            start=dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC),
            end=dt.datetime(2026, 3, 3, 23, 30, tzinfo=dt.UTC),
            now=NOW,
        )
        assert found.start == WEDNESDAY
        assert found[0].start == berlin(4, 9)


def test_ignoring_a_booking_frees_its_time_for_that_computation_only(therapist, client_user):
    """`slot_list(ignoring=pk)` — used when moving a session — treats that one booking as free;
    without it the time stays blocked."""
    profile, service = setup_therapist(therapist)
    at = berlin(4, 11)
    minutes = dt.timedelta(minutes=30)
    booking = make_booking(client_user, profile, start=at, service=service, now=NOW)
    blocked = set(starts(slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW)))
    freed = set(
        starts(
            slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=NOW, ignoring=booking.pk)
        )
    )
    assert not {at, at + minutes, at - minutes} & blocked
    assert {at, at + minutes, at - minutes} <= freed
    assert blocked < freed


def test_with_no_notice_a_slot_never_starts_at_now_which_booking_would_refuse(therapist):
    """Minimum notice 0 and `now` exactly on the grid (Wednesday 10:00 Berlin): the offer
    starts at the next step, not at now — `booking_create` refuses a start at or before now,
    so the list and the booking rule agree."""
    profile, service = setup_therapist(therapist)
    set_policy(profile, min_notice_minutes=0)
    now = berlin(4, 10)
    found = slot_list(service=service, start=WEDNESDAY, end=WEDNESDAY, now=now)
    assert found[0].start == berlin(4, 10, 15)
    assert not slot_is_free(service=service, start=now, now=now)
