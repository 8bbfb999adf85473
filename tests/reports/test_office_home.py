"""The office's home is its work queue (issue 14): what is due, with counts and amounts,
each line linking to where the work is done; the same few queries however much is due."""

from datetime import date

from feedback.models import Bill
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _english,
    _more_of_the_same,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["_english", "agreement", "non_profit_recipient", "pool", "year_2011"]


def test_the_office_home_lists_what_is_due_with_links(year_2011, client, office_user):
    from feedback import services as fee_services
    from organizations.services import system_user

    fee_services.bills_mark_overdue(today=date(2012, 2, 1), actor=system_user())
    client.force_login(office_user)
    html = client.get("/home/office/").content.decode()
    bill = Bill.objects.get()
    assert bill.status == "overdue"
    assert 'data-testid="queue-bills-overdue"' in html
    assert "/bills/?status=overdue" in html and "NT$2,240,000" in html  # 3,240,000 − 1,000,000
    # The agreements signed in 2011 held no briefing: overdue.
    assert 'data-testid="queue-briefings-overdue"' in html
    assert 'data-testid="queue-bills-due"' not in html  # nothing due soon: no line


def test_the_office_home_costs_the_same_queries_as_work_grows(
    year_2011, client, office_user, django_assert_max_num_queries
):
    client.force_login(office_user)
    with django_assert_max_num_queries(40) as few:
        assert client.get("/home/office/").status_code == 200
    _more_of_the_same(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/home/office/").status_code == 200


def test_the_contractor_home_shows_balances_reports_due_and_letters(
    year_2011, client, contractor_a_member, django_assert_max_num_queries
):
    from cases.models import Case
    from committee.models import Meeting
    from reports import tasks

    tasks.issue_decision_letters(Meeting.objects.get(number=4).pk)
    client.force_login(contractor_a_member)
    with django_assert_max_num_queries(40) as few:
        home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/home/contractor/"
    html = home.content.decode()
    # Case B, pre-approved at the 2011 #4 meeting, has filed no report since: overdue.
    b = Case.objects.get(title_en="energy case")
    link = f"/cases/{b.pk}/?year=2011&amp;quarter=2#progress-report-form"
    assert link in html and 'data-testid="report-overdue"' in html
    assert "30,000,000.00" in html and "5,000,000.00" in html  # both agreements' obligations
    assert 'data-testid="contractor-letters"' in html and "/letters/" in html
    _more_of_the_same(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/home/contractor/")


def test_the_recipient_home_shows_what_it_owes_and_the_overdue_bill(
    year_2011, client, recipient_member
):
    from feedback import services as fee_services
    from organizations.services import system_user

    fee_services.bills_mark_overdue(today=date(2012, 2, 1), actor=system_user())
    client.force_login(recipient_member)
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == "/home/recipient/"
    html = home.content.decode()
    bill = Bill.objects.get()
    assert 'data-testid="recipient-overdue"' in html and f"/bills/{bill.pk}/" in html
    assert "NT$2,240,000" in html  # 3,240,000 billed − 1,000,000 paid


def test_the_proposer_home_lists_its_items_by_stage(year_2011, client, proposing_unit):
    from demand_items.models import DemandItem
    from tests.factories import MembershipFactory, UserFactory

    # The year's demand items belong to another proposing unit: none of them here.
    user = UserFactory(username="proposer-home")
    MembershipFactory(user=user, organization=proposing_unit)
    client.force_login(user)
    html = client.get("/home/proposer/").content.decode()
    assert 'data-testid="proposer-items"' not in html
    DemandItem.objects.filter(status="passed").update(proposer=proposing_unit)
    html = client.get("/home/proposer/").content.decode()
    assert 'data-testid="proposer-stages"' in html and "?status=passed" in html


def _more_bills(times: int) -> None:
    """``times`` more bills like the year's one, each on an activity of its own."""
    from cases.models import Activity

    bill = Bill.objects.get()
    spare = Activity.objects.filter(bill__isnull=True).order_by("-id")[:times]
    assert len(spare) == times
    for n, activity in enumerate(spare):
        copy = Bill.objects.get(pk=bill.pk)
        copy.pk, copy.number, copy.activity, copy.case_id = (
            None,
            f"{bill.number}-{n}",
            activity,
            activity.case_id,
        )
        copy.save()


def test_every_role_home_costs_the_same_queries_as_the_program_grows(
    year_2011, client, recipient_member, proposing_unit, django_assert_max_num_queries
):
    """The recipient's, the proposing unit's and the agency's homes, at the year's size
    and with ten times its cases, ledger entries and bills: the same number of queries."""
    from demand_items.models import DemandItem
    from tests.factories import MembershipFactory, UserFactory

    proposer = UserFactory(username="proposer-queries")
    MembershipFactory(user=proposer, organization=proposing_unit)
    DemandItem.objects.update(proposer=proposing_unit)
    agency = UserFactory(username="agency-queries")
    MembershipFactory(user=agency, organization=year_2011["agency"])
    homes = {
        recipient_member: "/home/recipient/",
        proposer: "/home/proposer/",
        agency: "/home/agency/",
    }
    counts = {}
    for user, url in homes.items():
        client.force_login(user)
        with django_assert_max_num_queries(40) as few:
            assert client.get(url).status_code == 200
        counts[url] = len(few.captured_queries)
    _more_of_the_same(10)
    _more_bills(10)
    for n, item in enumerate(list(DemandItem.objects.all()) * 4):
        item.pk, item.title_en = None, f"{item.title_en} {n}"
        item.save()
    for user, url in homes.items():
        client.force_login(user)
        with django_assert_max_num_queries(counts[url]):
            html = client.get(url).content.decode()
        if url == "/home/recipient/":
            assert html.count("/bills/") >= 10  # the new bills are there, not skipped
