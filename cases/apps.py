from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Cases (工業合作個案): filing, review, execution and approval."""

    name = "cases"
    verbose_name = _("Cases")
