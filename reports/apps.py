from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics, dashboards and reports (報告)."""

    name = "reports"
    verbose_name = _("Reports")
