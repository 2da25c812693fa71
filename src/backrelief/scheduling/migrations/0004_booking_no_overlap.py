"""No two active bookings of one therapist overlap — enforced by the database (issue 6 item 4).

The blocked interval of a booking is the half-open [start, blocked_until) (blocked_until = end
+ the service's buffer), so a session may start exactly when the previous one's buffer ends.
Active statuses: held, confirmed, completed, no_show (`scheduling.models.ACTIVE_STATUSES`);
a cancelled booking blocks nothing.

- PostgreSQL: an exclusion constraint over (therapist_id WITH =, tstzrange(start,
  blocked_until, '[)') WITH &&) for active rows; `=` on a bigint inside a GiST index needs
  the btree_gist extension.
- SQLite: BEFORE INSERT / BEFORE UPDATE triggers abort an active row that overlaps another
  active row of the same therapist (the row itself excluded on UPDATE). Django writes every
  datetime of an aware DateTimeField as naive UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (the
  fraction only when non-zero), which sorts as text in time order, microseconds included
  (tested in scheduling/tests/test_migration_no_overlap.py). An index on (therapist_id,
  blocked_until) lets the check read only the therapist's bookings that end after the new
  start (the future), not their whole history.

Not in `Meta.constraints`: an ExclusionConstraint there breaks SQLite. Both backends raise
IntegrityError; `scheduling.services_booking` turns it into a friendly "just taken" answer.
"""

from django.db import migrations

# The active statuses are spelled out in every statement (scheduling.models.ACTIVE_STATUSES).
SQLITE_UP = [
    """
    CREATE INDEX scheduling_booking_therapist_blocked
    ON scheduling_booking (therapist_id, blocked_until);
    """,
    """
    CREATE TRIGGER scheduling_booking_no_overlap_insert BEFORE INSERT ON scheduling_booking
    WHEN NEW.status IN ('held', 'confirmed', 'completed', 'no_show')
    BEGIN
        SELECT RAISE(ABORT, 'booking_no_overlap') WHERE EXISTS (
            SELECT 1 FROM scheduling_booking AS b INDEXED BY scheduling_booking_therapist_blocked
            WHERE b.therapist_id = NEW.therapist_id
              AND b.blocked_until > NEW.start
              AND b.start < NEW.blocked_until
              AND b.status IN ('held', 'confirmed', 'completed', 'no_show')
        );
    END;
    """,
    """
    CREATE TRIGGER scheduling_booking_no_overlap_update
    BEFORE UPDATE OF therapist_id, start, blocked_until, status ON scheduling_booking
    WHEN NEW.status IN ('held', 'confirmed', 'completed', 'no_show')
    BEGIN
        SELECT RAISE(ABORT, 'booking_no_overlap') WHERE EXISTS (
            SELECT 1 FROM scheduling_booking AS b INDEXED BY scheduling_booking_therapist_blocked
            WHERE b.therapist_id = NEW.therapist_id
              AND b.blocked_until > NEW.start
              AND b.start < NEW.blocked_until
              AND b.status IN ('held', 'confirmed', 'completed', 'no_show')
              AND b.id <> NEW.id
        );
    END;
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS scheduling_booking_no_overlap_update;",
    "DROP TRIGGER IF EXISTS scheduling_booking_no_overlap_insert;",
    "DROP INDEX IF EXISTS scheduling_booking_therapist_blocked;",
]

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist;",
    """
    ALTER TABLE scheduling_booking ADD CONSTRAINT booking_no_overlap EXCLUDE USING gist (
        therapist_id WITH =,
        tstzrange("start", blocked_until, '[)') WITH &&
    ) WHERE (status IN ('held', 'confirmed', 'completed', 'no_show'));
    """,
]
# The extension stays: other objects may use it, and it is harmless.
POSTGRES_DOWN = [
    "ALTER TABLE scheduling_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;",
]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No booking overlap guard for {schema_editor.connection.vendor}; "
                "BackRelief supports SQLite and PostgreSQL."
            )
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0003_availability_outbox")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
