"""Statistics, dashboards and reports (報告): the data the office keeps for them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from icp_portal.lib.models import PROGRAM_YEAR


class KpiTarget(models.Model):
    """The program's targets for a year (domain.md §14, the budget's KPIs: NT$4億 orders,
    8億 investment, 20億 added output, 20 technologies in 2020), held as data per year; a
    blank target is one the year did not set."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=PROGRAM_YEAR)
    orders_twd = models.DecimalField(
        _("international orders (NT$)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    investment_twd = models.DecimalField(
        _("investment (NT$)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    added_output_twd = models.DecimalField(
        _("added output (NT$)"), max_digits=18, decimal_places=0, null=True, blank=True
    )
    technologies = models.PositiveIntegerField(_("key technologies"), null=True, blank=True)
    note = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(orders_twd__gte=0) | Q(orders_twd__isnull=True),
                name="kpi_orders_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(investment_twd__gte=0) | Q(investment_twd__isnull=True),
                name="kpi_investment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(added_output_twd__gte=0) | Q(added_output_twd__isnull=True),
                name="kpi_output_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"KPI {self.year}"
