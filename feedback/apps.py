from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Feedback fees (回饋金): rates, bills and payments."""

    name = "feedback"
    verbose_name = _("Feedback fees")
