"""``manage.py seed_demo``: load the demo data of the 2011 program year (idempotent).

Each app that has demo data keeps it in ``<app>/demo.py`` with a ``seed()`` function;
they run in INSTALLED_APPS order, which follows the apps' dependencies.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create or refresh the demo data (the real 2011 parties, demo users). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with production settings (demo passwords are public).",
        )

    def handle(self, *args, allow_production, **options):
        if settings.SECURE_DEFAULTS and not allow_production:
            raise CommandError(
                "Refusing to load demo accounts with production settings; "
                "pass --allow-production if you really mean it."
            )
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.path.startswith(str(settings.BASE_DIR)) and find_spec(module_name):
                    for line in import_module(module_name).seed():
                        self.stdout.write(line)
