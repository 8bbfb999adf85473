"""The fee rates of domain.md §7 as data: 3‰ domestic procurement, 6‰ international
marketing, 7‰ the other modes."""

from django.db import migrations

from feedback.choices import DEFAULT_RATES, DEFAULT_RATES_FROM


def load(apps, schema_editor):
    FeeRate = apps.get_model("feedback", "FeeRate")
    for mode, rate in DEFAULT_RATES.items():
        FeeRate.objects.get_or_create(
            mode=mode, effective_from=DEFAULT_RATES_FROM, defaults={"rate": rate}
        )


def unload(apps, schema_editor):
    apps.get_model("feedback", "FeeRate").objects.filter(effective_from=DEFAULT_RATES_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
