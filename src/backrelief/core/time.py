"""The one time rule (issue 6 item 2; STYLE.md rule 4), pure.

Instants are aware datetimes in UTC; places carry an IANA zone name (``Europe/Berlin``).
Wall-clock times (working hours, "every Tuesday at 09:00") are expanded in the owner's zone
with the functions here, and nowhere else, so that 09:00 local stays 09:00 local across
daylight-saving changes:

- a local time that does **not exist** (the spring-forward gap, e.g. 02:30 in Berlin on
  2026-03-29) is *omitted* for slots (`local_to_utc` returns None) and *moved forward by the
  gap* where a later capability must keep the occurrence (`local_to_utc_forward`: 02:30 becomes
  03:30 CEST, as RFC 5545 §3.3.10 does for recurrences);
- an **ambiguous** local time (the fall-back fold, e.g. 02:30 in Berlin on 2026-10-25) takes
  its first occurrence (``fold=0``: 02:30 CEST, not 02:30 CET).

Nonexistence is detected by a round trip: wall time → UTC → wall time; when the wall time
comes back different it did not exist. zoneinfo itself never raises for such times.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from zoneinfo import ZoneInfo

from backrelief.core.errors import Invalid

UTC = dt.UTC

# Files of the local tz database that `available_timezones()` lists but are not IANA zone
# names (the same list as accounts.preferences); they are refused.
_NOT_ZONES = frozenset({"localtime", "posixrules", "posixrules.tab", "Factory"})

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@functools.cache
def zone_names() -> frozenset[str]:
    """Every IANA zone name this machine knows (zoneinfo.available_timezones, without the
    tz database's helper files)."""
    return frozenset(zoneinfo.available_timezones() - _NOT_ZONES)


def unknown_zone_message(name: str) -> str:
    shown = name if len(name) <= 64 else name[:61] + "..."
    return f"Unknown time zone '{shown}'. Use an IANA name such as Europe/Berlin."


def zone_get(name: str) -> ZoneInfo:
    """The zone called `name`; an unknown name raises Invalid with the field ``time_zone``
    (issue 6 item 2: IANA zone names only)."""
    if name not in zone_names():
        message = unknown_zone_message(name)
        raise Invalid(message, fields={"time_zone": [message]}, code="unknown_time_zone")
    return ZoneInfo(name)


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    return zone if isinstance(zone, ZoneInfo) else zone_get(zone)


def _require_aware(instant: dt.datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("expected an aware datetime (UTC instant), got a naive one")


def _wall(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at.replace(tzinfo=None, fold=0))


def local_to_utc(*, day: dt.date, at: dt.time, zone: str | ZoneInfo) -> dt.datetime | None:
    """The UTC instant of wall time `at` on `day` in `zone`, or None when that wall time does
    not exist there (spring-forward gap). Ambiguous wall times take the first occurrence
    (fold=0). Used for slots: a nonexistent time is omitted (issue 6 item 2)."""
    tz = _zone(zone)
    wall = _wall(day, at)
    instant = wall.replace(tzinfo=tz).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        return None
    return instant


def local_to_utc_forward(*, day: dt.date, at: dt.time, zone: str | ZoneInfo) -> dt.datetime:
    """Like `local_to_utc`, but a wall time in a gap is moved forward by the length of the gap
    (02:30 on Berlin's spring-forward day → 03:30 CEST), so the occurrence is kept; ambiguous
    wall times take the first occurrence (fold=0). Issue 6 item 2; RFC 5545 §3.3.10.

    zoneinfo reads a gap time with the offset in force before the gap, which is exactly the
    shift by the gap."""
    tz = _zone(zone)
    return _wall(day, at).replace(tzinfo=tz).astimezone(UTC)


def utc_to_local(instant: dt.datetime, zone: str | ZoneInfo) -> dt.datetime:
    """`instant` as an aware datetime in `zone` (its wall time there)."""
    _require_aware(instant)
    return instant.astimezone(_zone(zone))


def local_date(instant: dt.datetime, zone: str | ZoneInfo) -> dt.date:
    """The calendar date of `instant` in `zone`."""
    return utc_to_local(instant, zone).date()


def zone_abbreviation(instant: dt.datetime, zone: str | ZoneInfo) -> str:
    """The zone's abbreviation at `instant` (CET, CEST, EDT, AEDT, or an offset like +03)."""
    return utc_to_local(instant, zone).tzname() or ""


def format_local(instant: dt.datetime, zone: str | ZoneInfo, *, with_zone: bool = True) -> str:
    """`instant` as people read it in `zone`, e.g. "Tue 3 Mar 2026, 09:00 CET (Europe/Berlin)":
    the wall time, the zone abbreviation and the IANA name, so nobody has to guess which zone
    is meant (issue 6 items 3 and 7; pages and emails). English names, 24-hour clock."""
    tz = _zone(zone)
    local = utc_to_local(instant, tz)
    text = (
        f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} {local.year}, "
        f"{local:%H:%M}"
    )
    if not with_zone:
        return text
    abbreviation = local.tzname() or ""
    name = tz.key
    if abbreviation == name:
        return f"{text} {name}"  # "UTC (UTC)" says nothing more
    return f"{text} {abbreviation} ({name})"
