"""A procuring agency's read-only view of its purchases (api.md "Outcomes and agencies"):
its home lists the agreements on its procurements with their balances; it reads those
agreements, ledgers, balances and cases in the pages and the API, never their documents
and never another agency's; it writes nothing."""

import pytest

from agreements.models import Agreement
from cases.models import Case
from organizations.choices import OrganizationKind
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProcurementFactory,
    UserFactory,
    make_agreement,
)
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _client,
    _english,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["_english", "agreement", "non_profit_recipient", "pool", "year_2011"]


@pytest.fixture
def agency_member(year_2011):
    member = UserFactory(username="mnd-officer", name="李建國")
    MembershipFactory(user=member, organization=year_2011["agency"])
    return member


@pytest.fixture
def other_agreement(year_2011, office_user, contractor_b):
    other_agency = OrganizationFactory(kind=OrganizationKind.PROCURING_AGENCY)
    return make_agreement(
        contractor=contractor_b,
        actor=office_user,
        obligation="7000000.00",
        procurement=ProcurementFactory(agency=other_agency),
    )


def test_the_agency_home_lists_its_agreements_with_balances(
    year_2011, agency_member, other_agreement, client
):
    client.force_login(agency_member)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/home/agency/"
    html = home.content.decode()
    own = Agreement.objects.filter(procurement__agency=year_2011["agency"])
    assert own.count() == 2
    for row in own:
        assert row.number in html
    assert other_agreement.number not in html
    # The USD-point agreement: 30,000,000 obligation; 9,200,000.50 discharged; B's
    # 6,000,000 reserved; 14,799,999.50 available.
    assert "30,000,000.00" in html and "9,200,000.50" in html and "14,799,999.50" in html


def test_the_agency_reads_its_purchases_and_nothing_else(
    year_2011, agency_member, other_agreement, api_client
):
    api = _client(api_client, agency_member)
    listed = {row["number"] for row in api.get("/api/v1/agreements/").json()["results"]}
    assert other_agreement.number not in listed and len(listed) == 2
    assert api.get(f"/api/v1/agreements/{other_agreement.pk}/").status_code == 404
    balances = api.get("/api/v1/balances/").json()["results"]
    assert {row["agreement"] for row in balances} == set(
        Agreement.objects.filter(procurement__agency=year_2011["agency"]).values_list(
            "pk", flat=True
        )
    )
    cases = api.get("/api/v1/cases/").json()
    assert cases["count"] == Case.objects.count() == 3
    case = Case.objects.get(status="actually_approved")
    assert api.get(f"/api/v1/cases/{case.pk}/documents/").json()["count"] == 0  # not papers
    document = case.documents.first()
    assert api.get(f"/api/v1/cases/{case.pk}/documents/{document.pk}/file/").status_code == 404
    assert api.get(f"/api/v1/cases/{case.pk}/outcomes/").json()["count"] == 1
    assert api.post(f"/api/v1/cases/{case.pk}/withdraw/").status_code == 403  # read-only
    entry_list = api.get(f"/api/v1/agreements/{case.agreement_id}/ledger/")
    assert entry_list.status_code == 200 and entry_list.json()["count"] >= 3
