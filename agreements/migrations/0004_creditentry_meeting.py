import django.db.models.deletion
from django.db import migrations, models

TABLE = "agreements_creditentry"
MESSAGE = "ledger entries are append-only: post a reversal instead"


def restore_sqlite_triggers(apps, schema_editor):
    # SQLite adds a foreign key by rebuilding the table, which drops its triggers; put the
    # append-only guard back. (PostgreSQL keeps its trigger on ALTER TABLE.)
    if schema_editor.connection.vendor != "sqlite":
        return
    for action in ("UPDATE", "DELETE"):
        name = f"creditentry_no_{action.lower()}"
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE {action} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_creditentry_case"),
        ("committee", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="creditentry",
            name="meeting",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="ledger_entries",
                to="committee.meeting",
                verbose_name="meeting",
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
