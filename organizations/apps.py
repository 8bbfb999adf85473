from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_office_group(sender, **kwargs):
    from organizations.services import office_group_sync

    office_group_sync()


class OrganizationsConfig(AppConfig):
    """Parties of the program and the people who sign in."""

    name = "organizations"
    verbose_name = _("Organizations and people")

    def ready(self):
        from organizations.api import schema  # noqa: F401  (registers the OpenAPI auth scheme)

        # After every migrate the office group gets the permissions of all portal models.
        post_migrate.connect(_sync_office_group, sender=self, dispatch_uid="office_group_sync")
