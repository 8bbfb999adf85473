"""``manage.py issue_api_token <username> [--read-only] [--days N] [--name NAME]``.

Prints the key alone on its last line (it is shown once; only its hash is stored).
"""

from django.core.management.base import BaseCommand, CommandError

from organizations.models import User
from organizations.services import api_token_issue, system_user


class Command(BaseCommand):
    help = "Issue a REST API key for a user; the key is printed once on the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--read-only", action="store_true", help="403 on unsafe methods.")
        parser.add_argument("--days", type=int, default=None, help="Validity in days.")
        parser.add_argument("--name", default="", help="What the key is for.")

    def handle(self, *args, username, read_only, days, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive.")
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        token, key = api_token_issue(
            user=user, actor=system_user(), name=name, read_only=read_only, days=days
        )
        access = "read-only" if read_only else "read-write"
        self.stderr.write(
            f"Issued a {access} key for {username}, expiring {token.expiry:%Y-%m-%d}. "
            "Store it now: it cannot be shown again."
        )
        self.stdout.write(key)
