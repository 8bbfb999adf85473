from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data of the 2011 program year (owns ``manage.py seed_demo``)."""

    name = "demo"
    verbose_name = _("Demo data")
