"""The no-overlap guard of migration 0004 cannot be side-stepped by how a time is written.

SQLite has no datetime type. The 0004 triggers compare start and blocked_until as text, which
orders instants correctly only in the form Django writes: 'YYYY-MM-DD HH:MM:SS', plus
'.ffffff' when the microseconds are not zero (naive UTC). The same instant written another way
by raw SQL — ISO 8601 with a 'T', a 'Z' or an offset, a number — compares wrongly (' ' < 'T'),
so an overlapping active booking could be inserted, and once in, that row also fooled the
overlap check of later bookings and the ORM's range filters. These triggers refuse any start,
end or blocked_until on SQLite that is not in Django's form ('booking_time_format', an
IntegrityError), on insert and on update, whatever the status (a cancelled row can be made
active again). Django's own writes always pass.

PostgreSQL stores timestamptz: every spelling is parsed to an instant, and the exclusion
constraint of 0004 compares instants, so nothing is needed there.
"""

from django.db import migrations

_SECONDS = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
_MICROSECONDS = _SECONDS + ".[0-9][0-9][0-9][0-9][0-9][0-9]"


def _django_form(column: str) -> str:
    value = f'NEW."{column}"'
    return f"({value} GLOB '{_SECONDS}' OR {value} GLOB '{_MICROSECONDS}')"


_ALL_IN_DJANGO_FORM = " AND ".join(_django_form(c) for c in ("start", "end", "blocked_until"))

SQLITE_UP = [
    f"""
    CREATE TRIGGER scheduling_booking_time_format_insert BEFORE INSERT ON scheduling_booking
    WHEN NOT ({_ALL_IN_DJANGO_FORM})
    BEGIN
        SELECT RAISE(ABORT, 'booking_time_format');
    END;
    """,
    f"""
    CREATE TRIGGER scheduling_booking_time_format_update
    BEFORE UPDATE OF start, "end", blocked_until ON scheduling_booking
    WHEN NOT ({_ALL_IN_DJANGO_FORM})
    BEGIN
        SELECT RAISE(ABORT, 'booking_time_format');
    END;
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS scheduling_booking_time_format_update;",
    "DROP TRIGGER IF EXISTS scheduling_booking_time_format_insert;",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return  # PostgreSQL: timestamptz (module docstring)
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0005_free_time_index")]

    operations = [migrations.RunPython(_run(SQLITE_UP), _run(SQLITE_DOWN))]
