"""Nothing a client sends breaks the portal (issue 10, findings 1–6): bad JSON in a JSON
field, deeply nested bodies, out-of-range reports, unique-constraint races, future
amendments and implausible dates all answer 400 with a message, and nothing is written."""

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal as D

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from agreements.models import CreditEntry
from cases.api.serializers import ProgressReportSerializer
from cases.models import ProgressReport
from committee.models import Meeting
from demand_items import services as demand_services
from demand_items.models import DemandItem
from icp_portal.api import exception_handler
from tests.factories import make_agreement
from tests.feedback.test_fees import approvals, bill  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

ITEM = {
    "title_zh": "無人機複材",
    "title_en": "UAV composites",
    "field": "aerospace",
    "source": "C",
    "description": "需求說明",
    "total_need": "1000000",
    "icp_share": "500000",
}


@pytest.fixture
def call(office_user):
    return demand_services.round_open(
        year=2030,
        quarter=1,
        opens_on=date(2030, 1, 5),
        closes_on=date(2030, 1, 25),
        actor=office_user,
    )


@pytest.mark.parametrize("benefit", ["text", ["a", "b"], 7, {"teleport": "x"}, {"training": ["x"]}])
def test_expected_benefit_must_be_text_per_criterion(api_client, proposer_user, call, benefit):
    api_client.force_authenticate(proposer_user)
    body = {**ITEM, "round": call.pk, "expected_benefit": benefit}
    response = api_client.post("/api/v1/demand-items/", body, format="json")
    assert response.status_code == 400 and "expected_benefit" in response.json()
    assert not DemandItem.objects.exists()


def test_a_stored_bad_benefit_never_breaks_the_item_pages(
    api_client, client, proposer_user, office_user, call
):
    api_client.force_authenticate(proposer_user)
    body = {**ITEM, "round": call.pk, "expected_benefit": {"training": "工程師訓練"}}
    created = api_client.post("/api/v1/demand-items/", body, format="json")
    assert created.status_code == 201
    item_id = created.json()["id"]
    # A row written before the validator existed (straight into the table).
    DemandItem.objects.filter(pk=item_id).update(expected_benefit="not an object")
    assert api_client.get(f"/api/v1/demand-items/{item_id}/").json()["expected_benefit"] == {}
    client.force_login(proposer_user)
    assert client.get(reverse("demand_item_detail", args=[item_id])).status_code == 200
    assert client.get(reverse("demand_item_edit", args=[item_id])).status_code == 200


@pytest.mark.parametrize("depth", [25, 950])
def test_a_deeply_nested_body_is_a_400(api_client, office_user, depth):
    api_client.force_authenticate(office_user)
    body = '{"a":' * depth + "1" + "}" * depth
    response = api_client.post(
        "/api/v1/meetings/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize(
    ("field", "value"), [("quarter", 0), ("quarter", 5), ("percent_complete", 101)]
)
def test_an_out_of_range_progress_report_is_refused_on_its_field(field, value):
    data = {"year": 2011, "quarter": 2, "progress": "進度", "percent_complete": 50, field: value}
    serializer = ProgressReportSerializer(data=data)
    assert not serializer.is_valid() and field in serializer.errors
    # The constraint's own message formats (it once held a bare "%").
    constraint = next(
        c
        for c in ProgressReport._meta.constraints
        if c.name == "progress_report_quarter_and_percent"
    )
    with translation.override("en"):
        assert str(constraint.get_violation_error_message()).endswith("at most 100 per cent.")


def test_a_unique_constraint_race_is_answered_with_the_constraints_message(office_user):
    Meeting.objects.create(kind="subcommittee", year=2011, number=3, held_on=date(2011, 5, 1))
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Meeting.objects.create(kind="subcommittee", year=2011, number=3, held_on=date(2011, 5, 2))
    with translation.override("en"):
        response = exception_handler(refused.value, {})
    assert response.status_code == 400
    assert response.data == {"detail": "This meeting number is already used this year."}


@pytest.mark.django_db(transaction=True)
def test_parallel_identical_creates_make_one_row_and_no_server_error(office_group):
    from tests.factories import UserFactory

    staff = UserFactory(username="race-staff")
    staff.groups.add(office_group)
    body = {"kind": "promotion_committee", "year": 2011, "number": 7, "held_on": "2011-12-01"}

    def create(_n):
        client = APIClient()
        client.force_authenticate(staff)
        try:
            return client.post("/api/v1/meetings/", body, format="json").status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(create, range(16)))
    assert codes.count(201) == 1 and set(codes) <= {201, 400}, codes
    assert Meeting.objects.filter(year=2011, number=7).count() == 1


def test_an_obligation_amendment_takes_effect_by_today(api_client, office_user, contractor_a):
    agreement = make_agreement(contractor=contractor_a, actor=office_user)
    api_client.force_authenticate(office_user)
    response = api_client.post(
        f"/api/v1/agreements/{agreement.pk}/amend-obligation/",
        {"obligation": "1.00", "effective_on": "9999-12-31", "reason": "修約"},
        format="json",
    )
    assert response.status_code == 400 and "effective_on" in response.json()
    agreement.refresh_from_db()
    shown = api_client.get(f"/api/v1/agreements/{agreement.pk}/").json()["obligation"]
    balance = api_client.get(f"/api/v1/agreements/{agreement.pk}/balance/").json()
    assert shown == balance["obligation"]
    assert CreditEntry.objects.filter(agreement=agreement).count() == 1


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (
            "/api/v1/exchange-rates/",
            {"currency": "USD_PTS", "rate_twd": "30.0", "effective_on": "0001-01-01"},
            "effective_on",
        ),
        (
            "/api/v1/meetings/",
            {"kind": "promotion_committee", "year": 0, "number": 1, "held_on": "2011-03-01"},
            "year",
        ),
        (
            "/api/v1/call-rounds/",
            {"year": 18056, "quarter": 1, "opens_on": "2030-01-05", "closes_on": "2030-01-25"},
            "year",
        ),
    ],
)
def test_implausible_dates_and_years_are_refused(api_client, office_user, url, body, field):
    api_client.force_authenticate(office_user)
    response = api_client.post(url, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()


def test_a_payment_cannot_be_dated_in_the_future(api_client, office_user, bill):  # noqa: F811
    api_client.force_authenticate(office_user)
    response = api_client.post(
        f"/api/v1/bills/{bill.pk}/payments/",
        {"paid_on": "9999-12-31", "amount_twd": "1000"},
        format="json",
    )
    assert response.status_code == 400 and "paid_on" in response.json()
    bill.refresh_from_db()
    assert bill.paid_amount_twd == D("0")


def test_the_bounded_parser_accepts_the_apis_real_documents(api_client, office_user):
    api_client.force_authenticate(office_user)
    body = json.dumps(
        {"kind": "promotion_committee", "year": 2011, "number": 2, "held_on": "2011-06-02"}
    )
    response = api_client.post("/api/v1/meetings/", body, content_type="application/json")
    assert response.status_code == 201
