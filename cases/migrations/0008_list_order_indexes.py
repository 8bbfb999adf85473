"""The work queue's order (oldest submitted first, never-submitted last) as an index, so its
page of 50 is read from the index instead of sorting every case. PostgreSQL only: SQLite
(the embedded default of ``make run``) takes no NULLS LAST in an index, and its small demo
needs none."""

from django.db import migrations

INDEX = "case_queue_order_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case "
            "(submitted_at ASC NULLS LAST, created_at, id)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_english_texts"),
    ]

    operations = [migrations.RunPython(create, drop)]
