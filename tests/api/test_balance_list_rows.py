"""The balance list keeps the rows it wrote, by what each depends on (the agreement's
posting count and last entry, its end of execution, the date): a posting rewrites exactly
its agreement's row, whatever date it takes effect on, and nothing stale is ever served."""

from datetime import date
from decimal import Decimal

import pytest

from agreements import selectors, services
from agreements.api.serializers import balance_json
from agreements.choices import CaseUse
from tests.factories import make_agreement

pytestmark = pytest.mark.django_db
LIST = "/api/v1/balances/"


def _reserve(agreement, actor, amount, on):
    services.credit_reserve(
        agreement=agreement,
        amount=Decimal(amount),
        effective_on=on,
        use=CaseUse.INDUSTRY,
        actor=actor,
    )


def _rows(client, query=""):
    return {row["agreement"]: row for row in client.get(LIST + query).json()["results"]}


def _ledger_row(agreement, as_of):
    """The row as the ledger alone says it (no maintained rows, nothing kept)."""
    row = (
        selectors.Agreement.objects.filter(pk=agreement.pk)
        .values("id", "contractor_id", "currency", "execution_ends_on")
        .get()
    )
    (balance,) = selectors.balances_of(agreements=[row], as_of=as_of).values()
    return balance_json(balance, agreement=agreement.pk, contractor=agreement.contractor_id)


@pytest.mark.parametrize("query, as_of", [("", None), ("?as_of=2011-12-31", date(2011, 12, 31))])
def test_a_posting_rewrites_its_agreements_row_and_only_that_row(
    api_client, office_user, contractor_a, contractor_b, query, as_of
):
    a = make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")
    b = make_agreement(contractor=contractor_b, actor=office_user, obligation="2000.00")
    api_client.force_authenticate(office_user)
    before = _rows(api_client, query)
    assert _rows(api_client, query) == before  # read again: the kept rows
    _reserve(a, office_user, "100.00", date(2011, 5, 1))
    after = _rows(api_client, query)
    assert after[b.pk] == before[b.pk]
    assert after[a.pk]["reserved"] == "100.00" and before[a.pk]["reserved"] == "0.00"
    for agreement in (a, b):
        asked = as_of or date.fromisoformat(after[a.pk]["as_of"])
        assert after[agreement.pk] == _ledger_row(agreement, asked)


def test_an_entry_dated_after_the_asked_date_changes_the_kept_row_key_not_its_figures(
    api_client, office_user, contractor_a
):
    a = make_agreement(contractor=contractor_a, actor=office_user, obligation="1000.00")
    api_client.force_authenticate(office_user)
    dated = "?as_of=2011-06-30"
    before = _rows(api_client, dated)[a.pk]
    _reserve(a, office_user, "100.00", date(2011, 9, 1))  # after the asked date
    assert _rows(api_client, dated)[a.pk] == before  # the ledger as of June: unchanged
    _reserve(a, office_user, "50.00", date(2011, 5, 1))  # backdated, before it
    assert _rows(api_client, dated)[a.pk]["reserved"] == "50.00"
    assert _rows(api_client)[a.pk]["reserved"] == "150.00"
