"""The agreement list's default order (newest signed first, then id) as an index, so its
page of 50 is read from the index instead of sorting every agreement (issue #15)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0010_agreement_balance"),
        ("organizations", "0012_guarantee_penalty_actions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="agreement",
            index=models.Index(fields=["-signed_on", "id"], name="agreement_list_order_idx"),
        ),
    ]
