"""An index on the case's status, for the work queue filtered by a status few cases hold
(the queue's order index serves the common ones) (issue #15)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0011_agreement_list_order_index"),
        ("cases", "0008_list_order_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["status"], name="case_status_idx"),
        ),
    ]
