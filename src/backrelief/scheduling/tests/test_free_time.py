"""The free-time index (issue 6 item 8) always agrees with a fresh `slot_list` computation:
after every kind of change, and as time passes. Each step first checks that the row was
fresh (read in one query) so what is tested is the invalidation, not a recomputation of a
missing row."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backrelief.core.time import local_date
from backrelief.scheduling.free_time import (
    SEARCH_DAYS_MAX,
    earliest_compute,
    free_time_invalidate,
    free_time_refresh,
    free_time_refresh_stale,
    free_time_rows_ensure,
    free_time_store,
)
from backrelief.scheduling.models import Booking, BookingStatus, FreeTime, SchedulingPolicy
from backrelief.scheduling.selectors_free_time import service_earliest_list
from backrelief.scheduling.selectors_slots import policy_or_defaults, slot_list
from backrelief.scheduling.services_availability import (
    date_override_set,
    policy_update,
    time_off_add,
    weekly_hours_set,
)
from backrelief.scheduling.services_booking import (
    booking_cancel,
    booking_create,
    booking_reschedule,
)
from backrelief.scheduling.tests.booking_helpers import NOW, bookable
from backrelief.therapists.models import Service
from backrelief.therapists.services.profile import profile_update, service_update
from backrelief.therapists.tests.factories import make_booking, make_service

pytestmark = pytest.mark.django_db

DAYS = 14


def expected(service: Service, now: dt.datetime, days: int = DAYS) -> dt.datetime | None:
    """The first free start within `days` computed afresh by `slot_list`."""
    fresh = Service.objects.select_related("therapist").get(pk=service.pk)
    zone = fresh.therapist.time_zone
    found = slot_list(
        service=fresh,
        start=local_date(now, zone) - dt.timedelta(days=1),
        end=local_date(now + dt.timedelta(days=days), zone) + dt.timedelta(days=1),
        now=now,
    )
    starts = [s.start for s in found if s.start < now + dt.timedelta(days=days)]
    return starts[0] if starts else None


def indexed(service: Service, now: dt.datetime, days: int = DAYS) -> dt.datetime | None:
    [item] = service_earliest_list(
        services=Service.objects.filter(pk=service.pk), now=now, days=days
    )
    assert item.known
    return item.start


def check(service: Service, now: dt.datetime, django_assert_num_queries) -> dt.datetime | None:
    """The index equals the fresh computation, and the row is fresh afterwards (one query)."""
    first = indexed(service, now)
    assert first == expected(service, now)
    with django_assert_num_queries(1):
        assert indexed(service, now) == first
    return first


def test_index_agrees_with_slot_list_after_every_change(
    therapist, client_user, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        first = check(service, NOW, django_assert_num_queries)
        assert first is not None

        # booking the earliest slot moves it
        booking = booking_create(
            client=client_user, service_id=service.public_id, start=first, now=NOW
        )
        after_booking = check(service, NOW, django_assert_num_queries)
        assert after_booking is not None
        assert after_booking > first

        # cancelling frees it again
        booking_cancel(actor=client_user, booking_id=booking.public_id, reason="", now=NOW)
        assert check(service, NOW, django_assert_num_queries) == first

        # rescheduling a booking onto the earliest slot
        later = booking_create(
            client=client_user,
            service_id=service.public_id,
            start=first + dt.timedelta(days=1),
            now=NOW,
        )
        check(service, NOW, django_assert_num_queries)
        booking_reschedule(actor=client_user, booking_id=later.public_id, new_start=first, now=NOW)
        moved = check(service, NOW, django_assert_num_queries)
        assert moved != first

        # time off over the next two days
        time_off_add(user=therapist, start=NOW, end=NOW + dt.timedelta(days=2, hours=12), now=NOW)
        off = check(service, NOW, django_assert_num_queries)
        assert off is not None
        assert off >= NOW + dt.timedelta(days=2, hours=12)

        # weekly hours: Thursdays and Fridays only, afternoons
        weekly_hours_set(
            user=therapist,
            hours=[(3, dt.time(14), dt.time(18)), (4, dt.time(14), dt.time(18))],
            now=NOW,
        )
        hours = check(service, NOW, django_assert_num_queries)
        assert hours is not None

        # an override closing that day
        date_override_set(
            user=therapist,
            date=local_date(hours, profile.time_zone),
            closed=True,
            hours=[],
            now=NOW,
        )
        closed = check(service, NOW, django_assert_num_queries)
        assert closed is not None
        assert closed > hours

        # policy: a three-day notice and a 30-minute step
        policy_update(
            user=therapist,
            min_notice_minutes=3 * 24 * 60,
            horizon_days=60,
            slot_step_minutes=30,
            cancellation_cutoff_hours=24,
            now=NOW,
        )
        check(service, NOW, django_assert_num_queries)

        # the service's duration
        service_update(
            user=therapist, service_public_id=service.public_id, duration_min=90, now=NOW
        )
        check(service, NOW, django_assert_num_queries)

        # the practice's zone
        profile_update(user=therapist, time_zone="America/New_York", now=NOW)
        assert check(service, NOW, django_assert_num_queries) != expected_in_berlin(service)

    # time passing: step through two weeks, half a day at a time
    moment = NOW
    for _ in range(28):
        moment += dt.timedelta(hours=12, minutes=7)
        with time_machine.travel(moment, tick=False):
            assert indexed(service, moment) == expected(service, moment)


def expected_in_berlin(service: Service) -> dt.datetime | None:
    """What the answer would be if the zone change had not been seen (must differ)."""
    fresh = Service.objects.select_related("therapist").get(pk=service.pk)
    fresh.therapist.time_zone = "Europe/Berlin"
    zone = "Europe/Berlin"
    found = slot_list(
        service=fresh,
        start=local_date(NOW, zone),
        end=local_date(NOW + dt.timedelta(days=DAYS), zone),
        now=NOW,
    )
    return found[0].start if len(found) else None


def test_time_passing_alone_recomputes_a_slot_that_reached_the_notice(
    therapist, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        _profile, service = bookable(therapist)
        first = check(service, NOW, django_assert_num_queries)
        assert first is not None
    later = first - dt.timedelta(hours=11)  # inside the 12-hour notice of `first`
    with time_machine.travel(later, tick=False):
        now_first = indexed(service, later)
        assert now_first == expected(service, later)
        assert now_first != first


def test_nothing_free_stays_fresh_while_the_window_searched_covers_the_one_asked(
    therapist, django_assert_num_queries, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        _profile, service = bookable(therapist)
        weekly_hours_set(user=therapist, hours=[], now=NOW)
        assert indexed(service, NOW, days=7) is None
        row = FreeTime.objects.get(service=service)
        assert row.earliest_start is None
        # always searched as far as any search may ask (the horizon, 60 days, caps it)
        assert row.searched_until == NOW + dt.timedelta(days=SEARCH_DAYS_MAX)
        with django_assert_num_queries(1):
            assert indexed(service, NOW, days=SEARCH_DAYS_MAX) is None
    later = NOW + dt.timedelta(hours=5)
    with time_machine.travel(later, tick=False):
        with django_assert_num_queries(1):
            assert indexed(service, later, days=DAYS) is None
        # the 60-day window now reaches past what was searched: recomputed
        with django_assert_max_num_queries(30):
            assert indexed(service, later, days=SEARCH_DAYS_MAX) is None
        assert FreeTime.objects.get(service=service).searched_until == later + dt.timedelta(
            days=SEARCH_DAYS_MAX
        )


def test_a_horizon_shorter_than_the_window_is_searched_again_as_time_passes(
    therapist, client_user, django_assert_num_queries
):
    """The horizon moves with the clock: a slot can appear at its end without any change."""
    with time_machine.travel(NOW, tick=False):
        _profile, service = bookable(therapist)
        policy_update(
            user=therapist,
            min_notice_minutes=5,
            horizon_days=2,
            slot_step_minutes=60,
            cancellation_cutoff_hours=24,
            now=NOW,
        )
        # Monday 09:00 Berlin: book everything before Wednesday 09:00 so nothing is free
        service.buffer_min = 0
        service.save(update_fields=["buffer_min"])
        free_time_invalidate(therapist_id=_profile.pk)
        start = expected(service, NOW)
        while start is not None:
            booking_create(client=client_user, service_id=service.public_id, start=start, now=NOW)
            start = expected(service, NOW)
        assert indexed(service, NOW) is None
        with django_assert_num_queries(1):
            assert indexed(service, NOW) is None
    later = NOW + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        assert indexed(service, later) == expected(service, later)
        assert expected(service, later) is not None


def test_the_worker_recomputes_a_short_horizon_row_at_most_once_a_minute(therapist):
    """Horizon 2 days, nothing free: the row is short of the 14-day window at any later moment.
    The worker must not recompute it on every pass (every few seconds) — once a minute."""
    with time_machine.travel(NOW, tick=False):
        _profile, _service = bookable(therapist)
        policy_update(
            user=therapist,
            min_notice_minutes=5,
            horizon_days=2,
            slot_step_minutes=60,
            cancellation_cutoff_hours=24,
            now=NOW,
        )
        weekly_hours_set(user=therapist, hours=[], now=NOW)
        assert free_time_refresh_stale(now=NOW) == 1
    for seconds, recomputed in ((5, 0), (30, 0), (59, 0), (61, 1), (65, 0)):
        later = NOW + dt.timedelta(seconds=seconds)
        with time_machine.travel(later, tick=False):
            assert free_time_refresh_stale(now=later) == recomputed, seconds


def test_a_start_beyond_the_window_is_reported_as_none(therapist):
    with time_machine.travel(NOW, tick=False):
        _profile, service = bookable(therapist)
        # The first slot is Tuesday 09:00 Berlin (notice 12 h from Monday 09:00): after 1 day.
        assert indexed(service, NOW, days=30) == expected(service, NOW, days=30)
        assert indexed(service, NOW, days=1) is None
        assert expected(service, NOW, days=1) is None


def test_a_result_computed_from_old_data_is_never_stored_as_fresh(therapist, client_user):
    """The race the generation guards against: a change committed between reading the
    generation and writing the result."""
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        free_time_rows_ensure(services=[(service.pk, profile.pk)])
        generation = FreeTime.objects.get(service=service).generation
        loaded = Service.objects.select_related("therapist").get(pk=service.pk)
        result = earliest_compute(
            service=loaded, policy=policy_or_defaults(therapist=profile), now=NOW, days=DAYS
        )
        assert result.start is not None
        # meanwhile a booking takes that slot (its transaction bumps the generation)
        booking_create(
            client=client_user, service_id=service.public_id, start=result.start, now=NOW
        )
        assert not free_time_store(
            service_id=service.pk, generation=generation, result=result, now=NOW
        )
        row = FreeTime.objects.get(service=service)
        assert row.computed_generation is None
        assert indexed(service, NOW) == expected(service, NOW) != result.start


def test_invalidate_creates_missing_rows_out_of_date(therapist):
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        assert not FreeTime.objects.filter(service=service).exists()
        free_time_invalidate(therapist_id=profile.pk)
        row = FreeTime.objects.get(service=service)
        assert row.therapist_id == profile.pk
        assert row.computed_generation is None
        free_time_invalidate(therapist_id=profile.pk)
        assert FreeTime.objects.get(service=service).generation == row.generation + 1


def test_a_pending_hold_keeps_the_row_out_of_date(therapist, client_user):
    """A hold frees its time when it expires, without any change recorded: not fresh."""
    with time_machine.travel(NOW, tick=False):
        profile, service = bookable(therapist)
        first = expected(service, NOW)
        assert first is not None
        make_booking(
            client_user,
            profile,
            service=service,
            start=first,
            status=BookingStatus.HELD,
            held_until=NOW + dt.timedelta(minutes=10),
            now=NOW,
        )
        held = indexed(service, NOW)
        assert held == expected(service, NOW) != first
        assert FreeTime.objects.get(service=service).computed_generation is None
    expiry = NOW + dt.timedelta(minutes=11)
    with time_machine.travel(expiry, tick=False):
        assert indexed(service, expiry) == expected(service, expiry) == first


def test_worker_batch_refreshes_stale_rows_and_skips_fresh_ones(
    therapist, other_therapist, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        _p1, first = bookable(therapist)
        _p2, second = bookable(other_therapist)
        assert free_time_refresh_stale(now=NOW, limit=10) == 2
        rows = {r.service_id: r for r in FreeTime.objects.all()}
        for service in (first, second):
            row = rows[service.pk]
            assert row.computed_generation == row.generation
            assert row.earliest_start == expected(service, NOW, days=SEARCH_DAYS_MAX)
            assert row.searched_until is not None
        assert free_time_refresh_stale(now=NOW, limit=10) == 0
        free_time_invalidate(therapist_id=_p1.pk)
        assert free_time_refresh_stale(now=NOW, limit=10) == 1
    # a day later both found slots have passed the notice
    later = NOW + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        assert free_time_refresh_stale(now=later, limit=1) == 1
        assert free_time_refresh_stale(now=later, limit=10) == 1
        assert free_time_refresh_stale(now=later, limit=10) == 0
        for service in (first, second):
            assert indexed(service, later) == expected(service, later)


def test_refresh_beyond_the_limit_reports_unknown_never_a_stale_time(
    therapist, other_therapist, client_user
):
    with time_machine.travel(NOW, tick=False):
        _p1, first = bookable(therapist)
        _p2, second = bookable(other_therapist)
        services = Service.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
        free_time_rows_ensure(services=[(first.pk, _p1.pk), (second.pk, _p2.pk)])
        free_time_refresh(
            services=Service.objects.select_related("therapist").filter(
                pk__in=[first.pk, second.pk]
            ),
            now=NOW,
            days=DAYS,
        )
        # both fresh; then a booking makes the second stale
        start = expected(second, NOW)
        assert start is not None
        booking_create(client=client_user, service_id=second.public_id, start=start, now=NOW)
        items = service_earliest_list(services=services, now=NOW, days=DAYS, refresh_limit=0)
        by_id = {i.service_id: i for i in items}
        assert by_id[first.pk].known
        assert by_id[first.pk].start == expected(first, NOW)
        assert not by_id[second.pk].known
        assert by_id[second.pk].start is None
        assert Booking.objects.count() == 1
        assert SchedulingPolicy.objects.filter(therapist=_p2).count() == 0


def test_the_worker_leaves_a_nothing_free_row_alone_while_it_covers_the_default_window(
    therapist, django_assert_num_queries
):
    """A row that found nothing in the 60 days it searched answers every 14-day search for
    46 days; the worker used to recompute it on every pass (each a few seconds apart), and
    with 200 such rows it never slept."""
    with time_machine.travel(NOW, tick=False):
        _profile, service = bookable(therapist)
        weekly_hours_set(user=therapist, hours=[], now=NOW)
        assert free_time_refresh_stale(now=NOW) == 1
    for later in (NOW + dt.timedelta(minutes=1), NOW + dt.timedelta(days=40)):
        with time_machine.travel(later, tick=False):
            assert free_time_refresh_stale(now=later) == 0
            with django_assert_num_queries(1):
                assert indexed(service, later, days=DAYS) is None
    # once the 14-day window reaches past what was searched, the worker recomputes it
    much_later = NOW + dt.timedelta(days=47)
    with time_machine.travel(much_later, tick=False):
        assert free_time_refresh_stale(now=much_later) == 1
        assert FreeTime.objects.get(service=service).searched_until == much_later + dt.timedelta(
            days=SEARCH_DAYS_MAX
        )


def _locked_service_ids(queries: list[dict[str, str]], verb: str) -> list[int]:
    table = FreeTime._meta.db_table
    found: list[int] = []
    for query in queries:
        sql = query["sql"]
        if sql.startswith(verb) and table in sql:
            found += [int(n) for n in re.findall(r'"service_id" = (\d+)', sql)]
    return found


def test_index_rows_are_written_in_ascending_service_id_the_order_invalidation_locks_them(
    therapist,
):
    """PostgreSQL: a recomputation storing two rows of one therapist in the services' default
    order (by technique) while a booking's invalidation locked them by id deadlocked, and the
    booking failed with a server error. Both now take the rows in ascending service id."""
    with time_machine.travel(NOW, tick=False):
        profile, swedish = bookable(therapist)
        deep = make_service(profile, technique="deep_tissue", buffer_min=10, now=NOW)
        assert swedish.pk < deep.pk
        services = Service.objects.select_related("therapist").filter(therapist=profile)
        assert [s.pk for s in services] == [deep.pk, swedish.pk]  # by technique
        free_time_rows_ensure(services=[(deep.pk, profile.pk), (swedish.pk, profile.pk)])
        with CaptureQueriesContext(connection) as captured:
            free_time_refresh(services=services, now=NOW, days=DAYS)
        assert _locked_service_ids(captured.captured_queries, "UPDATE") == [swedish.pk, deep.pk]
        with CaptureQueriesContext(connection) as captured:
            free_time_invalidate(therapist_id=profile.pk)
        [upsert] = [q["sql"] for q in captured.captured_queries if "ON CONFLICT" in q["sql"]]
        assert "ORDER BY id" in upsert


def test_recording_a_completed_session_marks_the_index_out_of_date(therapist, client_user):
    """A session recorded after the fact (demo data) can still block time with its buffer."""
    from backrelief.scheduling.services import booking_record_completed

    with time_machine.travel(NOW, tick=False):
        _profile, service = bookable(therapist)
        free_time_invalidate(therapist_id=_profile.pk)
        before = FreeTime.objects.get(service=service).generation
        booking_record_completed(
            client=client_user, service=service, start=NOW - dt.timedelta(hours=2), now=NOW
        )
        assert FreeTime.objects.get(service=service).generation == before + 1
