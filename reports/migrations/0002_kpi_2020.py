"""The 2020 budget's KPIs (domain.md §14): NT$4億 international orders, NT$8億 domestic
investment, NT$20億 added output, 20 key technologies a year."""

from django.db import migrations


def targets(apps, schema_editor):
    KpiTarget = apps.get_model("reports", "KpiTarget")
    KpiTarget.objects.update_or_create(
        year=2020,
        defaults={
            "orders_twd": 400_000_000,
            "investment_twd": 800_000_000,
            "added_output_twd": 2_000_000_000,
            "technologies": 20,
            "note": "2020 budget KPIs",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_kpi_targets")]
    operations = [migrations.RunPython(targets, migrations.RunPython.noop)]
