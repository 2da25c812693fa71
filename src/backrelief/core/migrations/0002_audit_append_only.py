"""Append-only audit log, enforced by the database on SQLite and PostgreSQL.

UPDATE is always refused. DELETE is refused unless a row of core_auditpurgepermit (written by
`audit_purge` in the same transaction) has a cut-off later than the row's time.
docs/adr/0004-append-only-audit-log.md
"""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END;
    """,
    """
    CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    WHEN NOT EXISTS (SELECT 1 FROM core_auditpurgepermit p WHERE OLD.at < p.cutoff)
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused'); END;
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete;",
]

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION core_auditevent_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit log is append-only: UPDATE refused';
      END IF;
      IF TG_OP = 'DELETE' AND NOT EXISTS (
        SELECT 1 FROM core_auditpurgepermit p WHERE OLD.at < p.cutoff
      ) THEN
        RAISE EXCEPTION 'audit log is append-only: DELETE refused';
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_guard();
    """,
    """
    CREATE TRIGGER core_auditevent_no_truncate
    BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_guard_truncate();
    """,
]
POSTGRES_TRUNCATE_FN = """
    CREATE OR REPLACE FUNCTION core_auditevent_guard_truncate() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION 'audit log is append-only: TRUNCATE refused';
    END;
    $$ LANGUAGE plpgsql;
"""
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;",
    "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;",
    "DROP FUNCTION IF EXISTS core_auditevent_guard_truncate();",
    "DROP FUNCTION IF EXISTS core_auditevent_guard();",
]


def _run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"No append-only guard for {schema_editor.connection.vendor}; "
                "BackRelief supports SQLite and PostgreSQL."
            )
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": [POSTGRES_TRUNCATE_FN, *POSTGRES_UP]}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
