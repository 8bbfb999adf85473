"""After the demo's replay of 2011 (every reserve, release, actual credit, reversal,
retention and bank draw through the services), every agreement's maintained balance equals
its ledger."""

from io import StringIO

from django.core.management import call_command

from agreements.models import Agreement, AgreementBalance
from agreements.selectors import balance_drift


def test_every_maintained_balance_equals_the_ledger_after_the_demo(demo_db):
    assert balance_drift() == []
    with_entries = Agreement.objects.filter(entries__isnull=False).distinct().count()
    assert with_entries > 0 and AgreementBalance.objects.count() == with_entries
    out = StringIO()
    call_command("balances_check", stdout=out)
    assert out.getvalue() == f"{with_entries} maintained balances equal the ledger.\n"
