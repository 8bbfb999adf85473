"""The database itself refuses UPDATE and DELETE on ledger entries (append-only)."""

from django.db import migrations

from icp_portal.lib.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [
        append_only(
            table="agreements_creditentry",
            function="icp_ledger_append_only",
            message="ledger entries are append-only: post a reversal instead",
        )
    ]
