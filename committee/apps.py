from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    """Committee meetings (推動小組會議), agendas, packets and minutes."""

    name = "committee"
    verbose_name = _("Committee")
