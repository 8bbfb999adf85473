"""The database itself refuses UPDATE and DELETE on audit events (append-only), like the
credit ledger: a trace of who did what cannot be rewritten, even outside the portal."""

from django.db import migrations

from icp_portal.lib.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_auditevent_actions")]

    operations = [
        append_only(
            table="organizations_auditevent",
            function="icp_audit_append_only",
            message="audit events are append-only",
        )
    ]
