"""The procurement pipeline before the agreement (domain.md §12), through the services and
the API: the 40% floor, LOA + 6 months, the reminder once, the stages in order and only by
the office, the specification's standards carried into the signed agreement."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import pipeline_services as ps
from agreements import services
from agreements.choices import CaseUse, Ministry, Mode, PointsCurrency, ProcurementStage
from agreements.models import MultiplierStandard, Procurement
from icp_portal.lib.errors import Conflict
from organizations.choices import OrganizationKind
from organizations.models import Membership, Notification
from organizations.services import system_user
from tests.factories import OrganizationFactory, ProcurementFactory, UserFactory

D = Decimal
STANDARDS = [
    {"mode": Mode.TECHNOLOGY_TRANSFER, "min_multiplier": D("15"), "max_multiplier": D("20")},
    {"mode": Mode.DOMESTIC_PROCUREMENT, "min_multiplier": D("2"), "max_multiplier": D("2")},
    {"mode": Mode.TRAINING, "min_multiplier": D("1"), "max_multiplier": D("1")},
]


def defence_purchase(value="5000000.00", currency="USD", **extra) -> Procurement:
    return ProcurementFactory(
        contract_value=D(value),
        contract_currency=currency,
        defence=True,
        icp_use=CaseUse.DIRECT_DEFENCE,
        **extra,
    )


def specify(procurement, actor, ratio, exemption=""):
    return ps.procurement_specify(
        procurement=procurement,
        icp_ratio_min=D(ratio),
        ratio_exemption=exemption,
        standards=STANDARDS,
        issued_on=date(2011, 2, 1),
        actor=actor,
    )


def assessed(procurement, actor):
    ps.assessment_add(
        procurement=procurement,
        item="Radar maintenance depot",
        result="buildable_through_icp",
        actor=actor,
    )
    return ps.procurement_advance(procurement=procurement, action="assess", actor=actor)


def to_committed(procurement, actor, loa=None):
    assessed(procurement, actor)
    specify(procurement, actor, "0.4000")
    ps.negotiation_member_add(
        procurement=procurement, name="Col. Lin", ministry=Ministry.MND, leader=True, actor=actor
    )
    ps.procurement_advance(procurement=procurement, action="start_negotiation", actor=actor)
    ps.negotiation_meeting_record(
        procurement=procurement, held_on=date(2011, 3, 1), counterpart="Raytheon", actor=actor
    )
    return ps.procurement_advance(
        procurement=procurement, action="commit", loa_signed_on=loa, actor=actor
    )


# --- The 40% floor ------------------------------------------------------------------------


def test_defence_purchase_of_5_million_usd_refuses_a_ratio_of_39_99_percent(office_user):
    procurement = assessed(defence_purchase("5000000.00"), office_user)
    with pytest.raises(ValidationError) as refused:
        specify(procurement, office_user, "0.3999")
    assert "icp_ratio_min" in refused.value.message_dict
    procurement.refresh_from_db()
    assert procurement.stage == ProcurementStage.ASSESSED
    assert procurement.icp_ratio_min is None


def test_defence_purchase_accepts_40_percent(office_user):
    procurement = specify(assessed(defence_purchase(), office_user), office_user, "0.4000")
    assert procurement.stage == ProcurementStage.SPECIFIED
    assert procurement.icp_ratio_min == D("0.4000")
    assert procurement.spec_standards.count() == 3


def test_below_40_percent_is_accepted_with_a_recorded_exemption(office_user):
    procurement = assessed(defence_purchase("80000000.00"), office_user)
    specify(procurement, office_user, "0.3000", exemption="Sole-source ammunition, EY approval")
    procurement.refresh_from_db()
    assert procurement.icp_ratio_min == D("0.3000")
    assert procurement.ratio_exemption == "Sole-source ammunition, EY approval"


def test_floor_not_applied_below_5_million_usd(office_user):
    procurement = assessed(defence_purchase("4999999.99"), office_user)
    specify(procurement, office_user, "0.1000")
    procurement.refresh_from_db()
    assert procurement.icp_ratio_min == D("0.1000")
    assert procurement.ratio_exemption == ""


def test_floor_not_applied_to_a_civil_purchase(office_user):
    procurement = assessed(
        ProcurementFactory(contract_value=D("90000000.00"), contract_currency="USD"), office_user
    )
    specify(procurement, office_user, "0.2000")
    assert Procurement.objects.get(pk=procurement.pk).icp_ratio_min == D("0.2000")


def test_floor_counts_a_non_usd_contract_by_its_usd_value(office_user):
    procurement = assessed(
        defence_purchase("200000000.00", currency="TWD", value_usd=D("6500000.00")), office_user
    )
    with pytest.raises(ValidationError):
        specify(procurement, office_user, "0.3500")


# --- LOA + 6 months and its reminder --------------------------------------------------


def test_agreement_is_due_six_months_after_the_loa_and_overdue_the_day_after(office_user):
    procurement = to_committed(defence_purchase(), office_user, loa=date(2011, 2, 28))
    assert procurement.agreement_due_on == date(2011, 8, 28)
    assert not procurement.agreement_overdue(date(2011, 8, 28))
    assert procurement.agreement_overdue(date(2011, 8, 29))


def test_the_due_date_is_gone_once_the_agreement_is_signed(office_user, contractor_a):
    procurement = to_committed(defence_purchase(), office_user, loa=date(2011, 2, 28))
    services.agreement_create(
        actor=office_user,
        number="ICP-T-1",
        procurement=procurement,
        contractor=contractor_a,
        currency=PointsCurrency.USD_PTS,
        obligation=D("2000000.00"),
        signed_on=date(2011, 9, 1),
        execution_ends_on=date(2021, 12, 31),
    )
    procurement.refresh_from_db()
    assert procurement.stage == ProcurementStage.SIGNED
    assert procurement.agreement_due_on is None
    assert not procurement.agreement_overdue(date(2012, 1, 1))


def test_reminder_goes_30_days_before_the_due_date_and_only_once(office_user):
    procurement = to_committed(defence_purchase(), office_user, loa=date(2011, 2, 28))
    system = system_user()
    assert ps.agreement_due_reminders_send(today=date(2011, 7, 28), actor=system) == 0
    mail.outbox.clear()
    assert ps.agreement_due_reminders_send(today=date(2011, 7, 29), actor=system) == 1
    assert ps.agreement_due_reminders_send(today=date(2011, 7, 30), actor=system) == 0
    assert ps.agreement_due_reminders_send(today=date(2011, 9, 1), actor=system) == 0
    notices = Notification.objects.filter(user=office_user, kind="agreement_due")
    assert notices.count() == 1
    assert "2011-08-28" in notices.get().subject
    procurement.refresh_from_db()
    assert procurement.due_reminder_sent_on == date(2011, 7, 29)


def test_reminder_is_the_system_jobs_alone(office_user):
    to_committed(defence_purchase(), office_user, loa=date(2011, 2, 28))
    with pytest.raises(PermissionDenied):
        ps.agreement_due_reminders_send(today=date(2011, 7, 29), actor=office_user)


# --- Stages: in order, by the office only ---------------------------------------------


def test_a_stage_out_of_order_is_a_conflict(office_user):
    procurement = defence_purchase()
    with pytest.raises(Conflict):
        ps.procurement_advance(procurement=procurement, action="commit", actor=office_user)
    with pytest.raises(Conflict):
        specify(procurement, office_user, "0.5")
    assert Procurement.objects.get(pk=procurement.pk).stage == ProcurementStage.PLANNING


def test_a_non_office_actor_is_refused_before_the_stage_is_looked_at(contractor_a_member):
    procurement = defence_purchase()
    # commit is out of order too: the role is refused first (403, not 409).
    with pytest.raises(PermissionDenied):
        ps.procurement_advance(procurement=procurement, action="commit", actor=contractor_a_member)


def test_negotiation_starts_only_with_a_leader(office_user):
    procurement = specify(assessed(defence_purchase(), office_user), office_user, "0.4")
    with pytest.raises(ValidationError):
        ps.procurement_advance(
            procurement=procurement, action="start_negotiation", actor=office_user
        )


def test_leader_follows_the_use_rule(office_user):
    direct = specify(assessed(defence_purchase(), office_user), office_user, "0.4")
    with pytest.raises(ValidationError):
        ps.negotiation_member_add(
            procurement=direct,
            name="Dir. Wang",
            ministry=Ministry.MOEA,
            leader=True,
            actor=office_user,
        )
    industry = ProcurementFactory(icp_use=CaseUse.INDUSTRY)
    specify(assessed(industry, office_user), office_user, "0.3")
    with pytest.raises(ValidationError):
        ps.negotiation_member_add(
            procurement=industry,
            name="Col. Lin",
            ministry=Ministry.MND,
            leader=True,
            actor=office_user,
        )
    indirect = ProcurementFactory(icp_use=CaseUse.INDIRECT_DEFENCE)
    specify(assessed(indirect, office_user), office_user, "0.3")
    member = ps.negotiation_member_add(
        procurement=indirect,
        name="Dir. Wang",
        ministry=Ministry.MOEA,
        leader=True,
        actor=office_user,
    )
    assert member.leader


def test_no_icp_needs_a_reason_and_takes_no_agreement(office_user, contractor_a):
    procurement = ProcurementFactory()
    with pytest.raises(ValidationError):
        ps.procurement_advance(procurement=procurement, action="no_icp", actor=office_user)
    ps.procurement_advance(
        procurement=procurement, action="no_icp", reason="Civil, WTO GPA", actor=office_user
    )
    with pytest.raises(Conflict):
        services.agreement_create(
            actor=office_user,
            number="ICP-T-2",
            procurement=Procurement.objects.get(pk=procurement.pk),
            contractor=contractor_a,
            currency=PointsCurrency.USD_PTS,
            obligation=D("1.00"),
            signed_on=date(2011, 9, 1),
            execution_ends_on=date(2021, 12, 31),
        )


def test_an_agreement_is_refused_while_the_procurement_is_negotiated(office_user, contractor_a):
    procurement = specify(assessed(defence_purchase(), office_user), office_user, "0.4")
    with pytest.raises(Conflict):
        services.agreement_create(
            actor=office_user,
            number="ICP-T-3",
            procurement=procurement,
            contractor=contractor_a,
            currency=PointsCurrency.USD_PTS,
            obligation=D("1.00"),
            signed_on=date(2011, 9, 1),
            execution_ends_on=date(2021, 12, 31),
        )


# --- Signing carries the specification --------------------------------------------------


def test_signing_copies_the_specifications_standards_and_planned_items(office_user, contractor_a):
    procurement = to_committed(defence_purchase(), office_user, loa=date(2011, 2, 28))
    agreement = services.agreement_create(
        actor=office_user,
        number="ICP-T-4",
        procurement=procurement,
        contractor=contractor_a,
        currency=PointsCurrency.USD_PTS,
        obligation=D("2000000.00"),
        signed_on=date(2011, 6, 1),
        execution_ends_on=date(2021, 12, 31),
    )
    standards = {
        (s.mode, s.min_multiplier, s.max_multiplier, s.effective_from)
        for s in MultiplierStandard.objects.filter(agreement=agreement)
    }
    assert standards == {
        (Mode.TECHNOLOGY_TRANSFER, D("15.00"), D("20.00"), date(2011, 6, 1)),
        (Mode.DOMESTIC_PROCUREMENT, D("2.00"), D("2.00"), date(2011, 6, 1)),
        (Mode.TRAINING, D("1.00"), D("1.00"), date(2011, 6, 1)),
    }


# --- The API --------------------------------------------------------------------------


@pytest.fixture
def agency_member(db):
    agency = OrganizationFactory(kind=OrganizationKind.PROCURING_AGENCY, country="TW")
    user = UserFactory()
    Membership.objects.create(user=user, organization=agency)
    return user


def test_api_walks_a_procurement_to_signing_with_the_standards(
    api_client, office_user, contractor_a
):
    api_client.force_authenticate(office_user)
    procurement = defence_purchase("8000000.00")
    base = f"/api/v1/procurements/{procurement.pk}"
    assert (
        api_client.post(
            f"{base}/assessments/", {"item": "Depot", "result": "buildable_through_icp"}
        ).status_code
        == 201
    )
    assert api_client.post(f"{base}/assess/").json()["stage"] == "assessed"
    body = {
        "icp_ratio_min": "0.3999",
        "issued_on": "2011-02-01",
        "standards": [{"mode": "training", "min_multiplier": "1.00", "max_multiplier": "1.00"}],
    }
    refused = api_client.post(f"{base}/specification/", body, format="json")
    assert refused.status_code == 400
    assert "icp_ratio_min" in refused.json()
    body["icp_ratio_min"] = "0.4000"
    row = api_client.post(f"{base}/specification/", body, format="json").json()
    assert row["stage"] == "specified"
    assert row["icp_ratio_min"] == "0.4000"
    assert row["standards"] == [
        {"mode": "training", "min_multiplier": "1.00", "max_multiplier": "1.00"}
    ]
    assert (
        api_client.post(
            f"{base}/team/", {"name": "Col. Lin", "ministry": "mnd", "leader": True}
        ).status_code
        == 201
    )
    assert api_client.post(f"{base}/start-negotiation/").json()["stage"] == "negotiating"
    assert (
        api_client.post(
            f"{base}/negotiations/", {"held_on": "2011-03-01", "counterpart": "Raytheon"}
        ).status_code
        == 201
    )
    committed = api_client.post(f"{base}/commit/", {"loa_signed_on": "2011-02-28"}).json()
    assert committed["stage"] == "committed"
    assert committed["agreement_due_on"] == "2011-08-28"
    signed = api_client.post(
        "/api/v1/agreements/",
        {
            "number": "ICP-API-1",
            "procurement": procurement.pk,
            "contractor": contractor_a.pk,
            "currency": "USD_PTS",
            "obligation": "3200000.00",
            "signed_on": "2011-07-01",
            "execution_ends_on": "2021-12-31",
        },
    )
    assert signed.status_code == 201
    multipliers = api_client.get(f"/api/v1/agreements/{signed.json()['id']}/multipliers/").json()
    assert [(m["mode"], m["min_multiplier"]) for m in multipliers["results"]] == [
        ("training", "1.00")
    ]
    assert api_client.get(f"{base}/").json()["stage"] == "signed"


def test_api_stage_out_of_order_is_409_with_the_stage(api_client, office_user):
    api_client.force_authenticate(office_user)
    procurement = ProcurementFactory()
    answer = api_client.post(f"/api/v1/procurements/{procurement.pk}/commit/")
    assert answer.status_code == 409
    assert answer.json()["status"] == "planning"


def test_api_agency_reads_its_procurement_but_cannot_move_it(api_client, agency_member):
    own = ProcurementFactory(agency=agency_member.membership.organization)
    other = ProcurementFactory()
    api_client.force_authenticate(agency_member)
    assert api_client.get(f"/api/v1/procurements/{own.pk}/").json()["stage"] == "planning"
    assert api_client.get(f"/api/v1/procurements/{own.pk}/assessments/").status_code == 200
    assert api_client.post(f"/api/v1/procurements/{own.pk}/commit/").status_code == 403
    assert api_client.post(f"/api/v1/procurements/{other.pk}/commit/").status_code == 404


def test_pipeline_page_groups_by_stage_and_lists_what_is_due(
    client, office_user, django_assert_max_num_queries
):
    to_committed(defence_purchase(), office_user, loa=date(2011, 2, 28))
    for _ in range(3):
        ProcurementFactory()
    client.force_login(office_user)
    with django_assert_max_num_queries(12):
        page = client.get("/procurements/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="overdue"' in text
    assert 'data-testid="stage-committed"' in text


def test_negotiation_meetings_count_in_the_office_activity_log(office_user):
    from reports.models import Measure
    from reports.selectors import Period, _records

    to_committed(defence_purchase(), office_user, loa=date(2011, 2, 28))
    count, items = _records(Measure.NEGOTIATIONS, Period(date(2011, 1, 1), date(2011, 12, 31)))
    assert count == 1
    assert items[0][0] == date(2011, 3, 1)
    assert "Raytheon" in items[0][1]
