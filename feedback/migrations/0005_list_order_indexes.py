from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_penalties"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="bill",
            index=models.Index(fields=["-issued_on", "-id"], name="bill_list_order_idx"),
        ),
    ]
