from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """Agreements (工業合作協議書), the credit ledger and balances."""

    name = "agreements"
    verbose_name = _("Agreements and credits")
