"""Everything links both ways (issue #14): agreement ↔ cases ↔ bills ↔ meetings ↔
organization ↔ ledger entries ↔ demand items, each link only to what the reader may open
(an agency or a contractor never gets a link that would be 404 for them), with a constant
number of queries however many related rows a page lists.

The world is the permission matrix's (tests/portal/matrix_fixtures.py), built once."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.portal.matrix_fixtures import build_world

D = Decimal


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once in a transaction rolled back after the module; each test runs in a
    savepoint of it."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("links-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            w.ids["case_billed"] = w.ids["case_letter"]
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def as_(world, db):
    def sign_in(actor: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(world.users[actor])
        return client

    return sign_in


def hrefs(response) -> set[str]:
    assert response.status_code == 200, response.status_code
    return set(re.findall(r'href="([^"#?]+)', response.content.decode()))


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def _case(world, key):
    from cases.models import Case

    return Case.objects.select_related("agreement").get(pk=world.ids[key])


# --- The agreement page ---------------------------------------------------------------


def test_the_agreement_page_lists_its_cases_and_its_ledger_links_case_and_meeting(world, as_):
    from cases.models import Case

    links = hrefs(as_("staff").get(url("agreement_detail", world.ids["agreement_a"])))
    for pk in Case.objects.filter(agreement_id=world.ids["agreement_a"]).values_list("pk", flat=1):
        assert url("case_detail", pk) in links
    assert url("case_detail", world.ids["case_b"]) not in links
    # The actual credit the approved minutes posted: its case and its meeting.
    assert url("case_detail", world.ids["case_billed"]) in links
    assert url("meeting_detail", world.ids["meeting_done"]) in links
    assert url("organization_detail", world.ids["org_a"]) in links
    assert url("organization_detail", world.ids["org_agency"]) in links


def test_the_agreement_page_shows_case_titles_statuses_and_credits(world, as_):
    page = as_("contractor_a").get(url("agreement_detail", world.ids["agreement_a"]))
    table = page.content.decode().split('data-testid="agreement-cases"')[1].split("</table>")[0]
    billed = _case(world, "case_billed")
    assert billed.number in table and billed.title_en in table
    with translation.override("en"):
        assert billed.get_status_display() in table
    assert "2,000,000.00" in table  # 1,000,000 × 2 requested


def test_a_contractor_gets_links_to_its_own_cases_never_to_meetings(world, as_):
    links = hrefs(as_("contractor_a").get(url("agreement_detail", world.ids["agreement_a"])))
    assert url("case_detail", world.ids["case_billed"]) in links
    assert url("organization_detail", world.ids["org_a"]) in links
    # Meetings are the office's and their members': the ledger names it, without a link.
    assert not any(link.startswith("/meetings/") for link in links)


def test_contractor_b_sees_neither_a_agreement_nor_links_to_a_cases(world, as_):
    client = as_("contractor_b")
    assert client.get(url("agreement_detail", world.ids["agreement_a"])).status_code == 404
    links = hrefs(client.get(url("agreement_detail", world.ids["agreement_b"])))
    assert url("case_detail", world.ids["case_b"]) in links
    assert url("case_detail", world.ids["case_billed"]) not in links
    assert url("organization_detail", world.ids["org_a"]) not in links


def test_an_agency_reads_the_cases_of_its_purchase_without_private_links(world, as_):
    links = hrefs(as_("agency").get(url("agreement_detail", world.ids["agreement_a"])))
    assert url("case_detail", world.ids["case_billed"]) in links
    # The contractor's organization is private to its members and the office.
    assert url("organization_detail", world.ids["org_a"]) not in links
    assert url("organization_detail", world.ids["org_agency"]) in links
    assert not any(link.startswith("/meetings/") for link in links)
    for link in links:  # nothing it is offered is 404 for it
        if re.match(r"^/(cases|agreements|organizations|bills|meetings|demand-items)/\d+/$", link):
            assert as_("agency").get(link).status_code == 200, link


def test_the_office_finds_the_procurement_form_from_the_agreement_list(world, as_):
    assert url("procurement_create") in hrefs(as_("staff").get(url("agreement_list")))
    assert url("procurement_create") in hrefs(as_("staff").get(url("agreement_create")))
    assert url("procurement_create") not in hrefs(as_("contractor_a").get(url("agreement_list")))


# --- The case page --------------------------------------------------------------------


def test_the_case_page_links_agreement_bills_meetings_and_parties(world, as_):
    links = hrefs(as_("staff").get(url("case_detail", world.ids["case_billed"])))
    assert url("agreement_detail", world.ids["agreement_a"]) in links
    assert url("bill_detail", world.ids["bill"]) in links
    assert url("meeting_detail", world.ids["meeting_done"]) in links
    assert url("organization_detail", world.ids["org_a"]) in links
    assert url("organization_detail", world.ids["org_recipient"]) in links


def test_the_contractor_case_page_has_no_bill_or_meeting_link(world, as_):
    links = hrefs(as_("contractor_a").get(url("case_detail", world.ids["case_billed"])))
    assert url("agreement_detail", world.ids["agreement_a"]) in links
    assert url("bill_detail", world.ids["bill"]) not in links
    assert not any(link.startswith("/meetings/") for link in links)


def test_a_reviewer_gets_no_link_to_the_agreement_it_may_not_open(world, as_):
    client = as_("reviewer")
    links = hrefs(client.get(url("case_detail", world.ids["case_sub"])))
    assert client.get(url("agreement_detail", world.ids["agreement_a"])).status_code == 404
    assert url("agreement_detail", world.ids["agreement_a"]) not in links
    assert url("organization_detail", world.ids["org_a"]) not in links


def test_the_case_page_links_the_demand_item_its_plan_item_takes_up(world, as_):
    from agreements.models import PlanItem
    from cases.models import Case

    plan_item = PlanItem.objects.filter(agreement_id=world.ids["agreement_a"]).first()
    PlanItem.objects.filter(pk=plan_item.pk).update(demand_item_id=world.ids["item_passed"])
    Case.objects.filter(pk=world.ids["case_exec"]).update(plan_item=plan_item)
    item_url = url("demand_item_detail", world.ids["item_passed"])
    assert item_url in hrefs(as_("staff").get(url("case_detail", world.ids["case_exec"])))
    # Contractors see passed items; an agency no demand item at all: the title, no link.
    assert item_url in hrefs(as_("contractor_a").get(url("case_detail", world.ids["case_exec"])))
    page = as_("agency").get(url("case_detail", world.ids["case_exec"]))
    assert item_url not in hrefs(page) and "通過需求" in page.content.decode()


# --- The bill page --------------------------------------------------------------------


def test_the_bill_page_links_case_agreement_recipient_and_meeting_for_the_office(world, as_):
    links = hrefs(as_("staff").get(url("bill_detail", world.ids["bill"])))
    assert url("case_detail", world.ids["case_billed"]) in links
    assert url("agreement_detail", world.ids["agreement_a"]) in links
    assert url("organization_detail", world.ids["org_recipient"]) in links
    assert url("meeting_detail", world.ids["meeting_done"]) in links


def test_the_recipient_reads_its_bill_without_links_to_the_contractor_side(world, as_):
    links = hrefs(as_("recipient").get(url("bill_detail", world.ids["bill"])))
    assert url("organization_detail", world.ids["org_recipient"]) in links
    assert url("case_detail", world.ids["case_billed"]) not in links
    assert url("agreement_detail", world.ids["agreement_a"]) not in links
    assert url("organization_detail", world.ids["org_a"]) not in links
    assert not any(link.startswith("/meetings/") for link in links)


# --- The organization page ------------------------------------------------------------


def test_a_fee_blocked_recipient_links_its_overdue_bills(world, as_):
    from feedback.models import Bill
    from organizations.models import Organization

    Bill.objects.filter(pk=world.ids["bill"]).update(status="overdue")
    Organization.objects.filter(pk=world.ids["org_recipient"]).update(fee_blocked=True)
    page = as_("staff").get(url("organization_detail", world.ids["org_recipient"]))
    html = page.content.decode()
    assert url("bill_detail", world.ids["bill"]) in hrefs(page)
    overdue = f"{url('bill_list')}?recipient={world.ids['org_recipient']}&amp;status=overdue"
    assert f'href="{overdue}"' in html.split('data-testid="fee-blocked-bills"')[0][-300:]
    assert url("case_detail", world.ids["case_billed"]) in hrefs(page)
    # The recipient's own member follows the same badge to its own overdue bills.
    own = as_("recipient").get(url("organization_detail", world.ids["org_recipient"]))
    assert 'data-testid="fee-blocked-bills"' in own.content.decode()
    listed = as_("recipient").get(f"{url('bill_list')}?recipient=0&status=overdue")
    assert listed.status_code == 200
    # A contractor sees the recipient (a public kind) and its flag, not its bills.
    other = as_("contractor_a").get(url("organization_detail", world.ids["org_recipient"]))
    assert 'data-testid="fee-blocked-bills"' not in other.content.decode()
    assert url("bill_detail", world.ids["bill"]) not in hrefs(other)


def test_a_contractor_page_lists_its_agreements_and_cases(world, as_):
    links = hrefs(as_("contractor_a").get(url("organization_detail", world.ids["org_a"])))
    assert url("agreement_detail", world.ids["agreement_a"]) in links
    assert url("case_detail", world.ids["case_billed"]) in links
    assert url("agreement_detail", world.ids["agreement_b"]) not in links
    assert (
        as_("contractor_b").get(url("organization_detail", world.ids["org_a"])).status_code == 404
    )


def test_an_agency_page_lists_the_agreements_of_its_purchases_only(world, as_):
    links = hrefs(as_("agency").get(url("organization_detail", world.ids["org_agency"])))
    assert url("agreement_detail", world.ids["agreement_a"]) in links
    assert url("agreement_detail", world.ids["agreement_b"]) not in links
    assert url("case_detail", world.ids["case_b"]) not in links


def test_a_proposing_unit_page_lists_its_demand_items_to_its_members(world, as_):
    links = hrefs(as_("proposer").get(url("organization_detail", world.ids["org_proposer"])))
    assert url("demand_item_detail", world.ids["item_draft"]) in links
    # Another party sees the unit (public) but only the items it may open.
    other = hrefs(as_("contractor_a").get(url("organization_detail", world.ids["org_proposer"])))
    assert url("demand_item_detail", world.ids["item_draft"]) not in other
    assert url("demand_item_detail", world.ids["item_passed"]) in other


# --- The meeting and demand item pages ------------------------------------------------


def test_the_meeting_page_links_each_agenda_case_and_its_agreement(world, as_):
    links = hrefs(as_("staff").get(url("meeting_detail", world.ids["meeting_done"])))
    assert url("case_detail", world.ids["case_billed"]) in links
    assert url("agreement_detail", world.ids["agreement_a"]) in links
    assert url("organization_detail", world.ids["org_a"]) in links


def test_a_member_reviewer_gets_the_case_link_but_not_the_agreement(world, as_):
    links = hrefs(as_("reviewer").get(url("meeting_detail", world.ids["meeting_sub"])))
    assert url("case_detail", world.ids["case_sub"]) in links
    assert url("agreement_detail", world.ids["agreement_a"]) not in links
    assert url("organization_detail", world.ids["org_a"]) not in links


def test_the_demand_item_page_links_the_agreements_and_cases_taking_it_up(world, as_):
    from agreements.models import PlanItem
    from cases.models import Case

    plan_item = PlanItem.objects.filter(agreement_id=world.ids["agreement_a"]).first()
    PlanItem.objects.filter(pk=plan_item.pk).update(demand_item_id=world.ids["item_passed"])
    Case.objects.filter(pk=world.ids["case_exec"]).update(plan_item=plan_item)
    item = url("demand_item_detail", world.ids["item_passed"])
    staff = hrefs(as_("staff").get(item))
    assert url("agreement_detail", world.ids["agreement_a"]) in staff
    assert url("case_detail", world.ids["case_exec"]) in staff
    own = hrefs(as_("contractor_a").get(item))
    assert url("case_detail", world.ids["case_exec"]) in own
    # Contractor B and the proposing unit read the item, not A's agreement or case.
    for actor in ("contractor_b", "proposer"):
        links = hrefs(as_(actor).get(item))
        assert url("agreement_detail", world.ids["agreement_a"]) not in links, actor
        assert url("case_detail", world.ids["case_exec"]) not in links, actor


# --- Constant queries -----------------------------------------------------------------


def _add_cases(world, agreement_key: str, actor: str, count: int) -> None:
    from cases import services as case_services
    from organizations.models import Organization

    recipient = Organization.objects.get(pk=world.ids["org_recipient"])
    agreement_id = world.ids[agreement_key]
    from agreements.models import Agreement

    agreement = Agreement.objects.get(pk=agreement_id)
    for n in range(count):
        case_services.case_create(
            agreement=agreement,
            actor=world.users[actor],
            title_zh=f"追加個案{n}",
            title_en=f"Extra case {n}",
            use="indirect_defence",
            field="aerospace",
            starts_on=date(2011, 4, 1),
            ends_on=date(2031, 3, 31),
            activities=[
                {
                    "mode": "domestic_procurement",
                    "recipient": recipient,
                    "value": D("1000.00"),
                    "requested_multiplier": D("1.00"),
                }
            ],
        )


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("actor", ["staff", "contractor_b"])
def test_the_agreement_page_query_count_does_not_grow_with_its_cases(
    world, as_, actor, django_assert_max_num_queries
):
    client = as_(actor)
    path = url("agreement_detail", world.ids["agreement_b"])  # one case
    one = _queries(client, path)
    _add_cases(world, "agreement_b", "contractor_b", 4)
    with django_assert_max_num_queries(one):
        page = client.get(path)
    assert page.content.decode().count("Extra case") == 4


def test_the_organization_page_query_count_does_not_grow_with_its_records(
    world, as_, django_assert_max_num_queries
):
    client = as_("staff")
    path = url("organization_detail", world.ids["org_b"])
    one = _queries(client, path)
    _add_cases(world, "agreement_b", "contractor_b", 4)
    with django_assert_max_num_queries(one):
        page = client.get(path)
    assert page.content.decode().count("Extra case") == 4


def test_the_case_page_query_count_does_not_grow_with_its_ledger_and_activities(
    world, as_, django_assert_max_num_queries
):
    from agreements import services as agreement_services
    from cases.models import Activity
    from committee.models import Meeting

    client = as_("staff")
    case = _case(world, "case_billed")
    path = url("case_detail", case.pk)
    one = _queries(client, path)
    meeting = Meeting.objects.get(pk=world.ids["meeting_promo"])
    for n in range(3):
        agreement_services.credit_reserve(
            agreement=case.agreement,
            amount=D("10.00"),
            effective_on=date(2011, 6, 10 + n),
            use="indirect_defence",
            actor=world.users["staff"],
            case=case,
            meeting=meeting,
        )
    activity = case.activities.get()
    Activity.objects.bulk_create(
        [
            Activity(
                case=case,
                mode=activity.mode,
                recipient_id=world.ids["org_recipient"],
                value=D("10.00"),
                requested_multiplier=D("1.00"),
                requested_credits=D("10.00"),
            )
            for _ in range(3)
        ]
    )
    with django_assert_max_num_queries(one):
        page = client.get(path)
    assert url("meeting_detail", world.ids["meeting_promo"]) in hrefs(page)
