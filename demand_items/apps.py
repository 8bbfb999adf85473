from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandItemsConfig(AppConfig):
    """Demand items (工合需求項目): call rounds, panel scoring and the catalogue."""

    name = "demand_items"
    verbose_name = _("Demand items")
