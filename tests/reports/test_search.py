"""The global search (issue #14): numbers, titles and names in both languages; the office
finds everything, everyone else only what they may open; a lone exact number opens its
record; short, long and odd queries answer kindly; constant queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import Procurement
from cases import services as case_services
from reports.search import MAX_LENGTH, PER_KIND, search
from tests.factories import OrganizationFactory, ProcurementFactory, make_agreement

SEARCH = "/search/"
API = "/api/v1/search/"


@pytest.fixture
def recipient_org(db):
    return OrganizationFactory(
        kind="domestic_recipient", name_zh="漢翔航空", name_en="AIDC", country="TW"
    )


@pytest.fixture
def agreement_a(office_user, contractor_a):
    procurement = ProcurementFactory(title_zh="愛國者飛彈採購案", title_en="Patriot missiles")
    return make_agreement(
        contractor=contractor_a, actor=office_user, number="ICP-2011-004", procurement=procurement
    )


@pytest.fixture
def agreement_b(office_user, contractor_b):
    procurement = ProcurementFactory(title_zh="阿帕契直升機", title_en="Apache helicopters")
    return make_agreement(
        contractor=contractor_b, actor=office_user, number="ICP-2011-009", procurement=procurement
    )


def make_case(agreement, actor, recipient, title_zh, title_en):
    return case_services.case_create(
        agreement=agreement,
        actor=actor,
        title_zh=title_zh,
        title_en=title_en,
        use="indirect_defence",
        field="aerospace",
        starts_on=date(2011, 4, 1),
        ends_on=date(2021, 3, 31),
        activities=[
            {
                "mode": "domestic_procurement",
                "recipient": recipient,
                "value": "1000.00",
                "requested_multiplier": "1.00",
            }
        ],
    )


@pytest.fixture
def case_a(agreement_a, contractor_a_member, recipient_org):
    return make_case(agreement_a, contractor_a_member, recipient_org, "雷達維修", "Radar repair")


@pytest.fixture
def case_b(agreement_b, contractor_b_member, recipient_org):
    return make_case(agreement_b, contractor_b_member, recipient_org, "旋翼製造", "Rotor making")


def kinds(response) -> dict:
    assert response.status_code == 200
    return {group["kind"]: group for group in response.json()["groups"]}


def test_staff_find_a_case_by_its_number_and_go_straight_to_it(client, office_user, case_a):
    client.force_login(office_user)
    response = client.get(SEARCH, {"q": case_a.number.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case_a.pk])
    listed = client.get(SEARCH, {"q": case_a.number, "all": "1"})
    assert reverse("case_detail", args=[case_a.pk]) in listed.content.decode()
    assert 'data-testid="exact-match"' in listed.content.decode()


def test_an_agreement_is_found_by_its_english_and_its_chinese_title(
    api_client, office_user, agreement_a, agreement_b
):
    api_client.force_authenticate(office_user)
    for query in ("patriot", "愛國者"):
        found = kinds(api_client.get(API, {"q": query}))["agreement"]
        assert [hit["id"] for hit in found["results"]] == [agreement_a.pk], query
        assert found["results"][0]["url"] == reverse("agreement_detail", args=[agreement_a.pk])


def test_an_organization_is_found_by_either_name(api_client, office_user, contractor_a):
    api_client.force_authenticate(office_user)
    for query in ("raytheon", "雷神"):
        found = kinds(api_client.get(API, {"q": query}))["organization"]
        assert contractor_a.pk in [hit["id"] for hit in found["results"]], query


def test_a_case_title_is_found_in_both_languages_and_numbers_partly(
    api_client, office_user, case_a, case_b
):
    api_client.force_authenticate(office_user)
    assert [h["id"] for h in kinds(api_client.get(API, {"q": "RADAR"}))["case"]["results"]] == [
        case_a.pk
    ]
    assert [h["id"] for h in kinds(api_client.get(API, {"q": "雷達"}))["case"]["results"]] == [
        case_a.pk
    ]
    both = kinds(api_client.get(API, {"q": case_a.number[:6]}))["case"]
    assert {h["id"] for h in both["results"]} == {case_a.pk, case_b.pk}


def test_an_exact_number_comes_first_among_partial_matches(api_client, office_user, contractor_a):
    api_client.force_authenticate(office_user)
    longer = make_agreement(contractor=contractor_a, actor=office_user, number="ICP-7-10")
    exact = make_agreement(contractor=contractor_a, actor=office_user, number="ICP-7-1")
    found = kinds(api_client.get(API, {"q": "icp-7-1"}))["agreement"]["results"]
    assert [hit["id"] for hit in found] == [exact.pk, longer.pk]
    assert found[0]["exact"] and not found[1]["exact"]


def test_contractor_a_never_finds_contractor_b_records(
    api_client, client, contractor_a_member, case_a, case_b, agreement_b, contractor_b
):
    api_client.force_authenticate(contractor_a_member)
    for query in (case_b.number, "rotor", "旋翼", "apache", agreement_b.number, "boeing", "波音"):
        groups = kinds(api_client.get(API, {"q": query}))
        ids = {(kind, hit["id"]) for kind, g in groups.items() for hit in g["results"]}
        assert ("case", case_b.pk) not in ids, query
        assert ("agreement", agreement_b.pk) not in ids, query
        assert ("organization", contractor_b.pk) not in ids, query
    # Its own case, by number: straight to it on the page.
    client.force_login(contractor_a_member)
    assert client.get(SEARCH, {"q": case_a.number})["Location"] == reverse(
        "case_detail", args=[case_a.pk]
    )
    # B's exact number opens nothing and says nothing about it.
    page = client.get(SEARCH, {"q": case_b.number})
    assert page.status_code == 200 and reverse("case_detail", args=[case_b.pk]) not in (
        page.content.decode()
    )


def test_an_agency_finds_only_its_own_purchases(
    api_client, agreement_a, agreement_b, contractor_a, case_a, case_b
):
    from organizations.choices import OrganizationKind
    from tests.factories import MembershipFactory, UserFactory

    agency = Procurement.objects.get(pk=agreement_a.procurement_id).agency
    assert agency.kind == OrganizationKind.PROCURING_AGENCY
    member = UserFactory(username="agency-reader")
    MembershipFactory(user=member, organization=agency)
    api_client.force_authenticate(member)
    found = kinds(api_client.get(API, {"q": "ICP-2011"}))
    assert [hit["id"] for hit in found["agreement"]["results"]] == [agreement_a.pk]
    assert "case" not in found  # case numbers are not agreement numbers
    cases = kinds(api_client.get(API, {"q": "radar"}))["case"]
    assert [hit["id"] for hit in cases["results"]] == [case_a.pk]
    assert "case" not in kinds(api_client.get(API, {"q": "rotor"}))


def test_nobody_anonymous_searches(client, api_client, case_a):
    assert api_client.get(API, {"q": case_a.number}).status_code == 401
    response = client.get(SEARCH, {"q": case_a.number})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert search(user=None, query=case_a.number).groups == []


@pytest.mark.parametrize("query", ["", " ", "a", "\x00", None])
def test_a_short_or_empty_query_is_a_friendly_message(client, api_client, office_user, query):
    client.force_login(office_user)
    page = client.get(SEARCH, {"q": query} if query is not None else {})
    assert page.status_code == 200
    assert 'data-testid="search-too-short"' in page.content.decode()
    api_client.force_authenticate(office_user)
    body = api_client.get(API, {"q": query} if query is not None else {}).json()
    assert body["too_short"] is True and body["groups"] == []


def test_a_long_or_odd_query_is_cut_and_answered(client, api_client, office_user, case_a):
    client.force_login(office_user)
    long = "雷達" + "x" * 5000
    page = client.get(SEARCH, {"q": long})
    assert page.status_code == 200
    assert 'data-testid="search-nothing"' in page.content.decode()
    api_client.force_authenticate(office_user)
    body = api_client.get(API, {"q": long}).json()
    assert len(body["query"]) == MAX_LENGTH
    for odd in ("%", "_", "'; drop table x;--", "\\", "雷達\x00維修", "2011 #1"):
        assert api_client.get(API, {"q": odd}).status_code == 200, odd


def test_the_nav_bar_has_the_search_box_for_signed_in_people(client, contractor_a_member):
    client.force_login(contractor_a_member)
    html = client.get(reverse("agreement_list")).content.decode()
    box = html.split('data-testid="nav-search"')[1].split("</form>")[0]
    assert 'name="q"' in box and 'class="visually-hidden"' in box


def test_the_search_groups_by_kind_with_counts_and_a_limit(
    api_client, office_user, agreement_a, contractor_a_member, recipient_org
):
    for n in range(PER_KIND + 2):
        make_case(agreement_a, contractor_a_member, recipient_org, f"引擎{n}", f"Engine {n}")
    api_client.force_authenticate(office_user)
    body = api_client.get(API, {"q": "engine"}).json()
    group = {g["kind"]: g for g in body["groups"]}["case"]
    assert group["count"] == PER_KIND + 2 and len(group["results"]) == PER_KIND
    assert body["total"] == PER_KIND + 2


def test_the_search_query_count_does_not_grow_with_the_matches(
    client, office_user, agreement_a, contractor_a_member, recipient_org
):
    client.force_login(office_user)
    make_case(agreement_a, contractor_a_member, recipient_org, "渦輪0", "Turbine 0")
    with CaptureQueriesContext(connection) as one:
        client.get(SEARCH, {"q": "turbine"})
    for n in range(1, 6):
        make_case(agreement_a, contractor_a_member, recipient_org, f"渦輪{n}", f"Turbine {n}")
    with CaptureQueriesContext(connection) as several:
        page = client.get(SEARCH, {"q": "turbine"})
    assert page.content.decode().count("渦輪") >= 6
    assert len(several) <= len(one)
