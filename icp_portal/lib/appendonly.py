"""Database triggers that refuse UPDATE and DELETE on an append-only table (the credit
ledger, the audit events): history is corrected by adding rows, never by rewriting them,
whatever writes to the database."""

from __future__ import annotations

from django.db import migrations


def append_only(*, table: str, function: str, message: str) -> migrations.RunPython:
    """A migration operation installing the guard on ``table`` (PostgreSQL: a row trigger
    calling ``function``; SQLite in embedded mode: two triggers)."""
    postgres_forward = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table.split("_", 1)[1]}_append_only
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    postgres_backward = f"""
DROP TRIGGER IF EXISTS {table.split("_", 1)[1]}_append_only ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    prefix = table.split("_", 1)[1]
    sqlite_forward = [
        f"CREATE TRIGGER {prefix}_no_{action.lower()} BEFORE {action} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
        for action in ("UPDATE", "DELETE")
    ]
    sqlite_backward = [f"DROP TRIGGER IF EXISTS {prefix}_no_{a};" for a in ("update", "delete")]

    def run(statements: dict):
        def apply(apps, schema_editor):
            for statement in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(statement)

        return apply

    return migrations.RunPython(
        run({"postgresql": [postgres_forward], "sqlite": sqlite_forward}),
        run({"postgresql": [postgres_backward], "sqlite": sqlite_backward}),
    )
