"""The database itself refuses UPDATE and DELETE on audit events (append-only), like the
credit ledger: a trace of who did what cannot be rewritten, even outside the portal."""

from django.db import migrations

TABLE = "organizations_auditevent"
MESSAGE = "audit events are append-only"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION icp_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER auditevent_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION icp_audit_append_only();
"""
POSTGRES_BACKWARD = f"""
DROP TRIGGER IF EXISTS auditevent_append_only ON {TABLE};
DROP FUNCTION IF EXISTS icp_audit_append_only();
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER auditevent_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER auditevent_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS auditevent_no_update;",
    "DROP TRIGGER IF EXISTS auditevent_no_delete;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_FORWARD], "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": [POSTGRES_BACKWARD], "sqlite": SQLITE_BACKWARD}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_auditevent_actions")]

    operations = [migrations.RunPython(forward, backward)]
