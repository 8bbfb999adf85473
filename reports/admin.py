from django.contrib import admin

from reports.models import KpiTarget


# The year's KPI targets are plain data the office enters once a year (no workflow).
@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ("year", "orders_twd", "investment_twd", "added_output_twd", "technologies")
