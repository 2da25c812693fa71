"""Availability management services (issue 6 item 1): every rule and error, bad input stores
nothing, conflicts listed while bookings stay untouched, DST in Europe/Berlin."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backrelief.core.errors import Invalid, NotFound, PermissionDenied
from backrelief.core.models import AuditEvent
from backrelief.scheduling import availability
from backrelief.scheduling.models import (
    Booking,
    DateOverride,
    SchedulingPolicy,
    TimeOff,
    WeeklyHours,
)
from backrelief.scheduling.selectors_availability import (
    availability_conflicts,
    availability_overview,
    policy_get,
)
from backrelief.scheduling.services_availability import (
    date_override_clear,
    date_override_set,
    policy_update,
    time_off_add,
    time_off_remove,
    weekly_hours_set,
)
from backrelief.therapists.tests.factories import make_booking, make_profile, make_weekly_hours

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC)  # Friday; Berlin on CET (UTC+1)
T = dt.time


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _berlin(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=BERLIN).astimezone(dt.UTC)


@pytest.fixture
def profile(therapist: Any) -> Any:
    return make_profile(therapist, now=NOW)


def _week(*days: int, shifts: tuple[tuple[str, str], ...] = (("09:00", "17:00"),)) -> list[Any]:
    return [(d, _t(s), _t(e)) for d in days for s, e in shifts]


def _counts() -> tuple[int, int, int, int]:
    return (
        SchedulingPolicy.objects.count(),
        WeeklyHours.objects.count(),
        DateOverride.objects.count(),
        TimeOff.objects.count(),
    )


# --- who may edit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["client_user", "staff_user"])
def test_only_therapists_may_edit_availability(persona, request):
    user = request.getfixturevalue(persona)
    with time_machine.travel(NOW, tick=False), pytest.raises(PermissionDenied):
        weekly_hours_set(user=user, hours=_week(0), now=NOW)
    assert _counts() == (0, 0, 0, 0)


def test_a_therapist_without_a_profile_is_sent_to_onboarding(therapist):
    with time_machine.travel(NOW, tick=False), pytest.raises(NotFound) as exc:
        policy_update(
            user=therapist,
            min_notice_minutes=60,
            horizon_days=30,
            slot_step_minutes=15,
            cancellation_cutoff_hours=24,
            now=NOW,
        )
    assert exc.value.code == "no_profile"


# --- policy ---------------------------------------------------------------------------------------


def test_policy_defaults_until_saved_then_the_first_save_creates_the_row(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        default = policy_get(therapist=profile)
        assert default.pk is None
        assert (default.min_notice_minutes, default.horizon_days) == (720, 60)
        change = policy_update(
            user=therapist,
            min_notice_minutes=0,
            horizon_days=365,
            slot_step_minutes=30,
            cancellation_cutoff_hours=168,
            now=NOW,
        )
        assert change.policy is not None
        assert change.policy.pk is not None
        change = policy_update(
            user=therapist,
            min_notice_minutes=20160,
            horizon_days=1,
            slot_step_minutes=5,
            cancellation_cutoff_hours=0,
            now=NOW,
        )
        policy = SchedulingPolicy.objects.get(therapist=profile)
        assert (
            policy.min_notice_minutes,
            policy.horizon_days,
            policy.slot_step_minutes,
            policy.cancellation_cutoff_hours,
        ) == (20160, 1, 5, 0)
        assert SchedulingPolicy.objects.count() == 1
        assert AuditEvent.objects.filter(action="availability.policy_changed").count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_notice_minutes", -1),
        ("min_notice_minutes", 20161),
        ("horizon_days", 0),
        ("horizon_days", 366),
        ("slot_step_minutes", 7),
        ("slot_step_minutes", 45),
        ("cancellation_cutoff_hours", -1),
        ("cancellation_cutoff_hours", 169),
    ],
)
def test_policy_out_of_range_names_the_field_and_stores_nothing(therapist, profile, field, value):
    values = {
        "min_notice_minutes": 60,
        "horizon_days": 30,
        "slot_step_minutes": 15,
        "cancellation_cutoff_hours": 24,
        field: value,
    }
    with time_machine.travel(NOW, tick=False), pytest.raises(Invalid) as exc:
        policy_update(user=therapist, now=NOW, **values)
    assert list(exc.value.fields) == [field]
    assert _counts() == (0, 0, 0, 0)


# --- weekly hours ---------------------------------------------------------------------------------


def test_weekly_hours_replace_the_whole_week_with_split_shifts(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profile, weekdays=(5, 6))
        weekly_hours_set(
            user=therapist,
            hours=_week(0, 1, shifts=(("13:30", "17:00"), ("09:00", "12:30"))),
            now=NOW,
        )
        rows = [
            (r.weekday, f"{r.start_time:%H:%M}", f"{r.end_time:%H:%M}")
            for r in WeeklyHours.objects.filter(therapist=profile)
        ]
        assert rows == [
            (0, "09:00", "12:30"),
            (0, "13:30", "17:00"),
            (1, "09:00", "12:30"),
            (1, "13:30", "17:00"),
        ]
        weekly_hours_set(user=therapist, hours=[], now=NOW)
        assert not WeeklyHours.objects.exists()
        assert AuditEvent.objects.filter(action="availability.hours_changed").count() == 2


def test_back_to_back_shifts_touching_are_allowed(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        weekly_hours_set(
            user=therapist, hours=_week(2, shifts=(("09:00", "12:30"), ("12:30", "17:00"))), now=NOW
        )
        assert WeeklyHours.objects.filter(therapist=profile).count() == 2


@pytest.mark.parametrize(
    ("hours", "key", "words"),
    [
        ([(0, "09:00", "09:00")], "hours.0.end", "End after the start"),
        ([(0, "17:00", "09:00")], "hours.0.end", "End after the start"),
        ([(7, "09:00", "17:00")], "hours.0.weekday", "0 (Monday) to 6"),
        ([(-1, "09:00", "17:00")], "hours.0.weekday", "0 (Monday) to 6"),
        ([(1, "09:00", "12:00"), (1, "11:00", "13:00")], "hours.1.start", "Overlaps 09:00–12:00"),
        (
            [(1, "09:00", "12:00"), (2, "09:00", "17:00"), (1, "08:00", "18:00")],
            "hours.2.start",
            "Overlaps 09:00–12:00",
        ),
        ([(3, f"{h:02d}:00", f"{h:02d}:30") for h in range(8, 15)], "hours.6.start", "At most 6"),
    ],
)
def test_bad_weekly_hours_get_a_keyed_error_and_store_nothing(
    therapist, profile, hours, key, words
):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profile, weekdays=(4,))
        before = list(WeeklyHours.objects.values_list("weekday", "start_time", "end_time"))
        with pytest.raises(Invalid) as exc:
            weekly_hours_set(
                user=therapist, hours=[(w, _t(s), _t(e)) for w, s, e in hours], now=NOW
            )
        assert key in exc.value.fields, exc.value.fields
        assert words in " ".join(exc.value.fields[key])
        after = list(WeeklyHours.objects.values_list("weekday", "start_time", "end_time"))
        assert after == before
        assert not AuditEvent.objects.filter(action="availability.hours_changed").exists()


def test_weekly_hours_in_berlin_stay_at_nine_local_across_the_spring_change(therapist, profile):
    """Issue 6 "Done when": 09:00 local stays 09:00 local on both sides of 2026-03-29."""
    with time_machine.travel(NOW, tick=False):
        weekly_hours_set(user=therapist, hours=_week(4, 0), now=NOW)  # Friday, Monday
        week = [(r.weekday, r.start_time, r.end_time) for r in WeeklyHours.objects.all()]
        intervals = availability.working_intervals(
            weekly=week,
            overrides={},
            zone="Europe/Berlin",
            start=dt.date(2026, 3, 27),
            end=dt.date(2026, 3, 30),
        )
        assert intervals == [
            (_berlin(2026, 3, 27, 9), _berlin(2026, 3, 27, 17)),  # CET: 08:00 UTC
            (_berlin(2026, 3, 30, 9), _berlin(2026, 3, 30, 17)),  # CEST: 07:00 UTC
        ]
        assert intervals[0][0].hour == 8
        assert intervals[1][0].hour == 7


# --- conflicts: listed, never dropped ------------------------------------------------------------


def test_removing_hours_lists_the_bookings_left_outside_and_keeps_them(
    therapist, profile, client_user
):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profile)  # Mon-Fri 09:00-17:00 Berlin
        monday = make_booking(client_user, profile, start=_berlin(2026, 3, 23, 10), now=NOW)
        tuesday = make_booking(client_user, profile, start=_berlin(2026, 3, 24, 10), now=NOW)
        assert availability_conflicts(therapist=profile, now=NOW) == []
        change = weekly_hours_set(user=therapist, hours=_week(1, 2, 3, 4), now=NOW)  # no Monday
        assert [c.booking_id for c in change.conflicts] == [monday.public_id]
        conflict = change.conflicts[0]
        assert (conflict.start, conflict.end) == (monday.start, monday.end)
        assert conflict.client_label == "Cleo"  # the first name only
        assert conflict.service == "Swedish massage, 60 min"
        for booking in (monday, tuesday):
            before = (booking.status, booking.start, booking.end, booking.updated_at)
            booking.refresh_from_db()
            assert (booking.status, booking.start, booking.end, booking.updated_at) == before
        assert Booking.objects.filter(status="confirmed").count() == 2


def test_only_upcoming_active_bookings_are_conflicts(therapist, profile, client_user):
    with time_machine.travel(NOW, tick=False):
        make_booking(client_user, profile, start=_berlin(2026, 3, 19, 10), status="completed")
        make_booking(
            client_user, profile, start=_berlin(2026, 3, 23, 10), status="cancelled", now=NOW
        )
        held = make_booking(
            client_user,
            profile,
            start=_berlin(2026, 3, 24, 10),
            status="held",
            held_until=NOW + dt.timedelta(minutes=10),
            now=NOW,
        )
        change = weekly_hours_set(user=therapist, hours=[], now=NOW)
        assert [c.booking_id for c in change.conflicts] == [held.public_id]


def test_a_booking_running_past_the_end_of_hours_is_a_conflict(therapist, profile, client_user):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profile)
        late = make_booking(client_user, profile, start=_berlin(2026, 3, 23, 16, 30), now=NOW)
        change = weekly_hours_set(user=therapist, hours=_week(0, 1, 2, 3, 4), now=NOW)
        assert [c.booking_id for c in change.conflicts] == [late.public_id]


def test_a_closed_date_and_new_time_off_list_the_bookings_inside(therapist, profile, client_user):
    with time_machine.travel(NOW, tick=False):
        make_weekly_hours(profile)
        monday = make_booking(client_user, profile, start=_berlin(2026, 3, 23, 10), now=NOW)
        wednesday = make_booking(client_user, profile, start=_berlin(2026, 3, 25, 14), now=NOW)
        change = date_override_set(
            user=therapist, date=dt.date(2026, 3, 23), closed=True, hours=[], now=NOW
        )
        assert [c.booking_id for c in change.conflicts] == [monday.public_id]
        change = time_off_add(
            user=therapist,
            start=dt.datetime(2026, 3, 25, 13, 0),
            end=dt.datetime(2026, 3, 25, 15, 0),
            now=NOW,
        )
        assert [c.booking_id for c in change.conflicts] == [monday.public_id, wednesday.public_id]
        assert Booking.objects.filter(status="confirmed").count() == 2
        # Giving the time back clears the conflicts again.
        assert change.time_off is not None
        change = time_off_remove(user=therapist, time_off_id=change.time_off.public_id, now=NOW)
        change = date_override_clear(user=therapist, date=dt.date(2026, 3, 23), now=NOW)
        assert change.conflicts == []


# --- date overrides -------------------------------------------------------------------------------


def test_a_date_override_replaces_that_dates_rows(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        day = dt.date(2026, 3, 28)
        date_override_set(user=therapist, date=day, closed=True, hours=[], now=NOW)
        date_override_set(
            user=therapist,
            date=day,
            closed=False,
            hours=[(_t("14:00"), _t("18:00")), (_t("10:00"), _t("12:00"))],
            now=NOW,
        )
        rows = list(
            DateOverride.objects.filter(therapist=profile).values_list(
                "date", "closed", "start_time", "end_time"
            )
        )
        assert rows == [
            (day, False, _t("10:00"), _t("12:00")),
            (day, False, _t("14:00"), _t("18:00")),
        ]
        overview = availability_overview(therapist=profile, now=NOW)
        assert list(overview.dates) == [day]


def test_today_in_the_therapists_zone_may_be_overridden_but_not_yesterday(therapist, profile):
    # 23:30 UTC on 20 March is already 21 March in Berlin.
    late = dt.datetime(2026, 3, 20, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(late, tick=False):
        date_override_set(
            user=therapist, date=dt.date(2026, 3, 21), closed=True, hours=[], now=late
        )
        with pytest.raises(Invalid) as exc:
            date_override_set(
                user=therapist, date=dt.date(2026, 3, 20), closed=True, hours=[], now=late
            )
        assert "2026-03-21" in exc.value.fields["date"][0]
        assert DateOverride.objects.count() == 1


@pytest.mark.parametrize(
    ("closed", "hours", "key"),
    [
        (True, [("09:00", "12:00")], "hours"),
        (False, [], "hours"),
        (False, [("12:00", "09:00")], "hours.0.end"),
        (False, [("09:00", "12:00"), ("10:00", "11:00")], "hours.1.start"),
    ],
)
def test_bad_date_overrides_are_refused_and_keep_what_was_there(
    therapist, profile, closed, hours, key
):
    day = dt.date(2026, 3, 26)
    with time_machine.travel(NOW, tick=False):
        date_override_set(user=therapist, date=day, closed=True, hours=[], now=NOW)
        with pytest.raises(Invalid) as exc:
            date_override_set(
                user=therapist,
                date=day,
                closed=closed,
                hours=[(_t(s), _t(e)) for s, e in hours],
                now=NOW,
            )
        assert key in exc.value.fields
        assert list(DateOverride.objects.values_list("closed", flat=True)) == [True]


def test_clearing_a_date_without_special_hours_is_not_found(therapist, profile, other_therapist):
    with time_machine.travel(NOW, tick=False):
        make_profile(other_therapist, now=NOW)
        date_override_set(
            user=other_therapist, date=dt.date(2026, 3, 26), closed=True, hours=[], now=NOW
        )
        with pytest.raises(NotFound):
            date_override_clear(user=therapist, date=dt.date(2026, 3, 26), now=NOW)
        assert DateOverride.objects.count() == 1  # the other therapist's row stays


# --- time off -------------------------------------------------------------------------------------


def test_time_off_reads_local_times_in_the_therapists_zone(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        change = time_off_add(
            user=therapist,
            start=dt.datetime(2026, 3, 28, 0, 0),
            end=dt.datetime(2026, 3, 31, 0, 0),  # across the spring change
            note="  Holiday  ",
            now=NOW,
        )
        row = change.time_off
        assert row is not None
        assert row.start == _berlin(2026, 3, 28, 0) == dt.datetime(2026, 3, 27, 23, tzinfo=dt.UTC)
        assert row.end == dt.datetime(2026, 3, 30, 22, tzinfo=dt.UTC)  # CEST
        assert row.note == "Holiday"
        assert AuditEvent.objects.filter(
            action="availability.time_off_added", object_id=str(row.public_id)
        ).exists()


def test_time_off_in_the_spring_gap_moves_forward_by_the_gap(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        change = time_off_add(
            user=therapist,
            start=dt.datetime(2026, 3, 29, 2, 30),  # does not exist in Berlin
            end=dt.datetime(2026, 3, 29, 5, 0),
            now=NOW,
        )
        assert change.time_off is not None
        assert change.time_off.start == _berlin(2026, 3, 29, 3, 30)


def test_aware_time_off_is_kept_as_given(therapist, profile):
    start = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(NOW, tick=False):
        change = time_off_add(
            user=therapist, start=start, end=start + dt.timedelta(hours=2), now=NOW
        )
        assert change.time_off is not None
        assert change.time_off.start == start


@pytest.mark.parametrize(
    ("start", "end", "note", "key"),
    [
        (dt.datetime(2026, 4, 2, 12), dt.datetime(2026, 4, 2, 12), "", "end"),
        (dt.datetime(2026, 4, 2, 12), dt.datetime(2026, 4, 1, 12), "", "end"),
        (dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 2), "", "end"),  # already over
        (dt.datetime(2026, 4, 2, 9), dt.datetime(2026, 4, 2, 12), "x" * 201, "note"),
    ],
)
def test_bad_time_off_is_refused_and_stores_nothing(therapist, profile, start, end, note, key):
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(Invalid) as exc:
            time_off_add(user=therapist, start=start, end=end, note=note, now=NOW)
        assert list(exc.value.fields) == [key]
        assert _counts() == (0, 0, 0, 0)
        assert not AuditEvent.objects.filter(action__startswith="availability.").exists()


def test_someone_elses_time_off_cannot_be_removed(therapist, profile, other_therapist):
    with time_machine.travel(NOW, tick=False):
        make_profile(other_therapist, now=NOW)
        theirs = time_off_add(
            user=other_therapist,
            start=dt.datetime(2026, 4, 1),
            end=dt.datetime(2026, 4, 2),
            now=NOW,
        ).time_off
        assert theirs is not None
        for key in (theirs.public_id, "not-a-uuid"):
            with pytest.raises(NotFound):
                time_off_remove(user=therapist, time_off_id=key, now=NOW)
        assert TimeOff.objects.count() == 1
        time_off_remove(user=other_therapist, time_off_id=theirs.public_id, now=NOW)
        assert TimeOff.objects.count() == 0


def test_overview_shows_only_upcoming_time_off_and_dates(therapist, profile):
    with time_machine.travel(NOW, tick=False):
        TimeOff.objects.create(
            therapist=profile,
            start=NOW - dt.timedelta(days=3),
            end=NOW - dt.timedelta(days=2),
            created_at=NOW,
        )
        DateOverride.objects.create(therapist=profile, date=dt.date(2026, 3, 1), closed=True)
        kept = time_off_add(
            user=therapist, start=dt.datetime(2026, 4, 1), end=dt.datetime(2026, 4, 2), now=NOW
        ).time_off
        overview = availability_overview(therapist=profile, now=NOW)
        assert [t.pk for t in overview.time_off] == [kept.pk if kept else None]
        assert overview.dates == {}
        assert (overview.time_zone, overview.today) == ("Europe/Berlin", dt.date(2026, 3, 20))
