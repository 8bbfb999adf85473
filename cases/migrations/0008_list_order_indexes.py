import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_english_texts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                django.db.models.expressions.OrderBy(
                    django.db.models.expressions.F("submitted_at"), nulls_last=True
                ),
                models.F("created_at"),
                models.F("id"),
                name="case_queue_order_idx",
            ),
        ),
    ]
