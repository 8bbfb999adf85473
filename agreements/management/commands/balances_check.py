"""``manage.py balances_check``: compare every maintained balance with the ledger.

Prints one line per figure that differs (agreement, figure, maintained, ledger) and exits
with status 1 when any does; prints a one-line summary and exits 0 when all agree.
"""

from django.core.management.base import BaseCommand, CommandError

from agreements.models import AgreementBalance
from agreements.selectors import balance_drift


class Command(BaseCommand):
    help = "Check that every agreement's maintained balance equals its ledger's aggregate."

    def handle(self, *args, **options):
        drift = balance_drift()
        for agreement_id, figure, maintained, ledger in drift:
            self.stdout.write(
                f"agreement {agreement_id}: {figure} maintained {maintained} ledger {ledger}"
            )
        if drift:
            agreements = len({agreement_id for agreement_id, *_ in drift})
            raise CommandError(
                f"{len(drift)} figures of {agreements} agreements differ from the ledger."
            )
        self.stdout.write(
            f"{AgreementBalance.objects.count()} maintained balances equal the ledger."
        )
