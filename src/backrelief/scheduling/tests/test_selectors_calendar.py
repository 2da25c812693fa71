"""selectors_calendar.calendar_for_therapist (issue 6 item 9): a week or a day of working hours
(weekly rows and date overrides), time off cut to each date, bookings by local start date with
the quick actions `now` allows, cancelled ones apart; three queries whatever the size; local
times across daylight-saving changes and for a zone ahead of UTC."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from backrelief.scheduling.selectors_calendar import (
    calendar_date_in_range,
    calendar_for_therapist,
    calendar_week_start,
)
from backrelief.scheduling.tests.calendar_helpers import MONDAY, NOW, make_week
from backrelief.therapists.tests.factories import (
    make_booking,
    make_profile,
    make_time_off,
    make_weekly_hours,
)

pytestmark = pytest.mark.django_db

SUNDAY = MONDAY + dt.timedelta(days=6)


@pytest.fixture
def week(therapist, other_therapist, client_user, other_client):
    return make_week(therapist, other_therapist, client_user, other_client)


def _hhmm(periods) -> list[str]:
    return [f"{p.start:%H:%M}-{p.end:%H:%M}" for p in periods]


def test_a_week_shows_hours_overrides_time_off_and_bookings_by_local_date(week):
    with time_machine.travel(NOW, tick=False):
        cal = calendar_for_therapist(therapist=week.profile, first=MONDAY, last=SUNDAY, now=NOW)
        assert cal.time_zone == "Europe/Berlin"
        assert cal.today == dt.date(2026, 3, 4)
        assert [d.date for d in cal.days] == [MONDAY + dt.timedelta(days=i) for i in range(7)]
        mon, tue, wed, thu, fri, sat, sun = cal.days
        assert [d.is_today for d in cal.days] == [False, False, True, False, False, False, False]
        assert _hhmm(mon.working) == ["09:00-12:30", "13:30-17:00"]  # split shift, local
        assert thu.working == []  # override: closed
        assert _hhmm(sat.working) == ["10:00-14:00"]  # override: other hours
        assert sun.working == []  # no weekly hours on Sunday
        # time off cut to each date it touches, with the therapist's own note
        assert [(_hhmm([t.period]), t.note, t.period.whole_day) for t in fri.time_off] == [
            (["14:00-18:00"], "Dentist", False)
        ]
        assert [(t.note, t.period.whole_day) for t in sun.time_off] == [("Trip", True)]
        assert all(d.time_off == [] for d in (mon, tue, wed, thu, sat))
        # bookings on their local date, cancelled ones apart; never another therapist's
        assert [b.booking for b in wed.bookings] == [week.completed, week.upcoming]
        assert [b.booking for b in tue.bookings] == []
        assert [b.booking for b in tue.cancelled] == [week.late_cancelled]
        shown = {b.booking.pk for d in cal.days for b in d.bookings + d.cancelled}
        assert week.foreign.pk not in shown
        assert len(shown) == 5


def test_a_booking_row_carries_what_the_therapist_needs_and_no_more(week):
    with time_machine.travel(NOW, tick=False):
        cal = calendar_for_therapist(therapist=week.profile, first=MONDAY, last=SUNDAY, now=NOW)
        upcoming = cal.days[2].bookings[1]
        assert (upcoming.client_label, upcoming.technique, upcoming.duration_min) == (
            "Cleo Client",
            "Shiatsu",
            45,
        )
        assert (f"{upcoming.start:%H:%M %Z}", f"{upcoming.end:%H:%M}") == ("15:00 CET", "15:45")
        assert (upcoming.status, upcoming.late_cancellation, upcoming.outside_hours) == (
            "confirmed",
            False,
            False,
        )
        late = cal.days[1].cancelled[0]
        assert (late.status, late.late_cancellation) == ("cancelled", True)
        assert (late.may_cancel, late.may_complete, late.may_mark_no_show) == (False,) * 3
        assert not late.outside_hours  # a cancelled booking no longer occupies the time
        outside = cal.days[4].bookings[0]
        assert outside.booking == week.outside
        assert outside.outside_hours  # 17:30 is after the 17:00 end


def test_quick_actions_follow_the_time_and_the_status(week):
    with time_machine.travel(NOW, tick=False):
        cal = calendar_for_therapist(therapist=week.profile, first=MONDAY, last=SUNDAY, now=NOW)
        past = cal.days[0].bookings[0]
        completed, upcoming = cal.days[2].bookings
        # Monday's session ended 2 days ago: it counts as completed (12 hours passed), may
        # still be marked completed, but no longer as a no-show; it cannot be cancelled
        assert (past.may_cancel, past.may_complete, past.may_mark_no_show) == (False, True, False)
        assert past.counts_as_completed
        assert (completed.may_cancel, completed.may_complete, completed.may_mark_no_show) == (
            False,
            False,
            False,
        )
        assert (upcoming.may_cancel, upcoming.may_complete, upcoming.may_mark_no_show) == (
            True,
            False,
            False,
        )
    after = NOW + dt.timedelta(hours=3)  # 16:00, the 15:00 session has ended
    with time_machine.travel(after, tick=False):
        cal = calendar_for_therapist(therapist=week.profile, first=MONDAY, last=SUNDAY, now=after)
        upcoming = cal.days[2].bookings[1]
        assert (upcoming.may_cancel, upcoming.may_complete, upcoming.may_mark_no_show) == (
            False,
            True,
            True,
        )
        assert not upcoming.counts_as_completed


def test_three_queries_whatever_the_number_of_bookings(
    week, client_user, django_assert_num_queries
):
    with time_machine.travel(NOW, tick=False):
        service = week.upcoming.service
        for day in range(9, 14):  # another week full of sessions must not add queries
            for hour in (9, 11, 14):
                start = dt.datetime(2026, 3, day, hour, tzinfo=ZoneInfo("Europe/Berlin"))
                make_booking(
                    client_user, week.profile, start=start, service=service, minutes=45, now=NOW
                )
        with django_assert_num_queries(3):
            cal = calendar_for_therapist(
                therapist=week.profile,
                first=dt.date(2026, 3, 9),
                last=dt.date(2026, 3, 15),
                now=NOW,
            )
            assert sum(len(d.bookings) for d in cal.days) == 15
            assert {b.client_label for d in cal.days for b in d.bookings} == {"Cleo Client"}


def test_a_single_day(week):
    with time_machine.travel(NOW, tick=False):
        cal = calendar_for_therapist(
            therapist=week.profile, first=NOW.date(), last=NOW.date(), now=NOW
        )
        [day] = cal.days
        assert [b.booking for b in day.bookings] == [week.completed, week.upcoming]


@pytest.mark.parametrize(
    ("first", "last"),
    [(dt.date(2026, 3, 2), dt.date(2026, 3, 1)), (dt.date(2026, 3, 2), dt.date(2026, 3, 9))],
)
def test_more_than_a_week_or_a_reversed_range_is_refused(week, first, last):
    with pytest.raises(ValueError, match="1 to 7 days"):
        calendar_for_therapist(therapist=week.profile, first=first, last=last, now=NOW)


def test_new_york_hours_stay_at_nine_across_the_spring_change(therapist, client_user):
    ny = ZoneInfo("America/New_York")
    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        profile = make_profile(therapist, time_zone="America/New_York", now=now)
        make_weekly_hours(profile, weekdays=tuple(range(7)), shifts=(("09:00", "17:00"),))
        # Sunday 8 March 2026: clocks go from 02:00 EST to 03:00 EDT; time off over the gap
        make_time_off(
            profile,
            start=dt.datetime(2026, 3, 8, 1, tzinfo=ny),
            end=dt.datetime(2026, 3, 8, 4, tzinfo=ny),
        )
        before = make_booking(client_user, profile, start=dt.datetime(2026, 3, 7, 9, tzinfo=ny))
        after = make_booking(client_user, profile, start=dt.datetime(2026, 3, 9, 9, tzinfo=ny))
        cal = calendar_for_therapist(
            therapist=profile, first=dt.date(2026, 3, 2), last=dt.date(2026, 3, 8), now=now
        )
        assert {tuple(_hhmm(d.working)) for d in cal.days} == {("09:00-17:00",)}
        assert [f"{p.start:%Z}" for d in cal.days for p in d.working] == ["EST"] * 6 + ["EDT"]
        [gap] = cal.days[6].time_off
        assert (f"{gap.period.start:%H:%M %Z}", f"{gap.period.end:%H:%M %Z}") == (
            "01:00 EST",
            "04:00 EDT",
        )
        assert [b.booking for b in cal.days[5].bookings] == [before]
        nxt = calendar_for_therapist(
            therapist=profile, first=dt.date(2026, 3, 9), last=dt.date(2026, 3, 9), now=now
        )
        assert [f"{b.start:%H:%M %Z}" for b in nxt.days[0].bookings] == ["09:00 EDT"]
        assert nxt.days[0].bookings[0].booking == after


def test_a_sydney_morning_session_is_on_its_local_date_not_the_utc_one(therapist, client_user):
    sydney = ZoneInfo("Australia/Sydney")
    now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        profile = make_profile(therapist, time_zone="Australia/Sydney", now=now)
        start = dt.datetime(2026, 4, 8, 8, tzinfo=sydney)  # 7 April 22:00 UTC
        booking = make_booking(client_user, profile, start=start)
        cal = calendar_for_therapist(
            therapist=profile, first=dt.date(2026, 4, 7), last=dt.date(2026, 4, 8), now=now
        )
        assert cal.days[0].bookings == []
        assert [(b.booking, f"{b.start:%H:%M}") for b in cal.days[1].bookings] == [
            (booking, "08:00")
        ]


def test_week_start_and_date_range():
    assert calendar_week_start(dt.date(2026, 3, 8)) == dt.date(2026, 3, 2)  # Sunday → Monday
    assert calendar_week_start(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
    assert calendar_date_in_range(dt.date(2026, 3, 2))
    assert not calendar_date_in_range(dt.date(1999, 12, 31))
    assert not calendar_date_in_range(dt.date(2099, 12, 31))  # its week would leave the range
