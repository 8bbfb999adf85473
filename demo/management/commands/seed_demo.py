"""``manage.py seed_demo``: load the demo data of the 2010–2011 program years (idempotent).

The data live in ``demo/data/*.yaml``; ``demo.loader.seed`` plays them through the
services, parties first and the 2011 committee replay last.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import loader


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
        for line in loader.seed():
            self.stdout.write(line)
