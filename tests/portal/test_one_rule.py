"""One rule, one place: every write service decides who (403) before when (409) and
before it writes, whoever calls it (a page, the API, a task, a command); the audit trail
needs no request and cannot be rewritten."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction

from cases import workflow as case_workflow
from cases.models import Case
from committee import services as committee_services
from committee import workflow as meeting_workflow
from committee.choices import AgendaKind, MeetingStatus
from demand_items import services as demand_services
from feedback import services as fee_services
from feedback.models import Bill, Payment
from icp_portal.lib.errors import AppendOnlyError, Conflict
from organizations import services as org_services
from organizations.choices import AuditAction
from organizations.models import AuditEvent, Organization
from organizations.services import event_record, system_user
from tests.feedback.test_fees import approvals, bill  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "act",
    [
        lambda b, who: fee_services.payment_record(
            bill=b, paid_on=date(2011, 10, 1), amount_twd=1, actor=who
        ),
        lambda b, who: fee_services.bill_waive(bill=b, reason="同意", actor=who),
        lambda b, who: fee_services.bill_cancel(bill=b, reason="誤開", actor=who),
        lambda b, who: fee_services.fee_rate_set(
            mode="training", rate="0.0050", effective_from=date(2012, 1, 1), actor=who
        ),
        lambda b, who: fee_services.exchange_rate_set(
            currency="USD_PTS", rate_twd="29.5", effective_on=date(2012, 1, 1), actor=who
        ),
        lambda b, who: demand_services.round_open(
            year=2031, quarter=1, opens_on=date(2031, 1, 5), closes_on=date(2031, 1, 25), actor=who
        ),
        lambda b, who: committee_services.meeting_create(
            kind="promotion_committee", year=2031, number=1, held_on=date(2031, 3, 1), actor=who
        ),
        lambda b, who: org_services.organization_update(
            organization=b.recipient, actor=who, bad_record=True
        ),
    ],
    ids=["payment", "waive", "cancel", "fee-rate", "exchange-rate", "round", "meeting", "party"],
)
def test_staff_only_services_refuse_any_other_actor_and_write_nothing(
    bill,  # noqa: F811
    contractor_a_member,
    act,
):
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        act(bill, contractor_a_member)
    bill.refresh_from_db()
    assert bill.status == "issued" and Payment.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert Organization.objects.get(pk=bill.recipient_id).bad_record is False


def test_role_is_refused_before_state(bill, recipient_member, office_user):  # noqa: F811
    fee_services.bill_cancel(bill=bill, reason="誤開", actor=office_user)
    # A cancelled bill cannot be waived (409)… but to anyone not of the office the answer
    # is "not yours to do" (403), whatever the bill's status.
    with pytest.raises(PermissionDenied):
        fee_services.bill_waive(bill=bill, reason="x", actor=recipient_member)
    with pytest.raises(Conflict) as refused:
        fee_services.bill_waive(bill=bill, reason="x", actor=office_user)
    assert refused.value.status == "cancelled"


def test_the_system_account_marks_bills_overdue_with_events_and_history_but_waives_nothing(
    bill,  # noqa: F811
):
    system = system_user()
    assert fee_services.bills_mark_overdue(today=date(2012, 1, 1), actor=system) == 1
    recipient = Organization.objects.get(pk=bill.recipient_id)
    assert recipient.fee_blocked is True
    block = AuditEvent.objects.get(action=AuditAction.FEE_BLOCK)
    assert block.actor == system and block.target == recipient and block.note == bill.number
    # Field history, written by a task (no request), names the acting account.
    latest = recipient.history.order_by("-history_id").first()
    assert latest.fee_blocked is True and latest.history_user == system
    with pytest.raises(PermissionDenied):
        fee_services.bill_waive(bill=bill, reason="x", actor=system)


def test_paying_lifts_the_block_with_an_event(bill, office_user):  # noqa: F811
    fee_services.bills_mark_overdue(today=date(2012, 1, 1), actor=system_user())
    fee_services.payment_record(
        bill=bill, paid_on=date(2012, 1, 5), amount_twd=bill.amount_twd, actor=office_user
    )
    assert Organization.objects.get(pk=bill.recipient_id).fee_blocked is False
    lifted = AuditEvent.objects.get(action=AuditAction.FEE_UNBLOCK)
    assert lifted.actor == office_user


def test_field_history_names_the_services_actor_without_a_request(office_user, recipient):
    org_services.organization_update(organization=recipient, actor=office_user, barred=True)
    latest = recipient.history.order_by("-history_id").first()
    assert latest.barred is True and latest.history_user == office_user


def test_audit_events_are_append_only_in_the_model_and_the_database(office_user, recipient):
    event = event_record(
        actor=office_user, target=recipient, action=AuditAction.ORGANIZATION_UPDATE
    )
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET note = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_an_event_action_must_be_one_of_the_labelled_actions(office_user, recipient):
    with pytest.raises(ValueError, match="Unknown audit action"):
        event_record(actor=office_user, target=recipient, action="organization.renamed")


def test_the_agenda_takes_a_case_only_from_the_case_tables_sources():
    for kind, name in meeting_workflow.AGENDA_CASE_TRANSITION.items():
        assert meeting_workflow.AGENDA_SOURCES[kind] == case_workflow.TRANSITIONS[name].sources
    # The kinds without a case: a demand item's review, a shortfall (an agreement), a
    # request to the policy steering meeting.
    assert set(meeting_workflow.AGENDA_CASE_TRANSITION) == set(AgendaKind) - {
        AgendaKind.DEMAND_ITEM_REVIEW,
        AgendaKind.PENALTY,
        AgendaKind.STEERING_REQUEST,
    }


def test_a_meeting_is_planned_then_held_then_its_minutes_approved(office_user, contractor_a_member):
    meeting = committee_services.meeting_create(
        kind="promotion_committee",
        year=2011,
        number=9,
        held_on=date(2011, 12, 1),
        actor=office_user,
    )
    assert meeting_workflow.allowed(meeting, contractor_a_member) == []
    with pytest.raises(PermissionDenied):
        committee_services.meeting_mark_held(meeting=meeting, actor=contractor_a_member)
    meeting = committee_services.meeting_mark_held(meeting=meeting, actor=office_user)
    assert meeting.status == MeetingStatus.HELD
    assert "add_agenda_item" not in meeting_workflow.allowed(meeting, office_user)
    with pytest.raises(Conflict) as twice:
        committee_services.meeting_mark_held(meeting=meeting, actor=office_user)
    assert twice.value.status == "held"
    meeting = committee_services.minutes_approve(
        meeting=meeting, actor=office_user, approved_on=date(2011, 12, 20)
    )
    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    events = AuditEvent.objects.filter(action__in=["meeting.held", "minutes.approve"])
    assert [(e.from_status, e.to_status) for e in events.order_by("id")] == [
        ("planned", "held"),
        ("held", "minutes_approved"),
    ]


def test_closing_a_rounds_scoring_twice_is_a_conflict(office_user, proposer_user):
    call = demand_services.round_open(
        year=2031,
        quarter=1,
        opens_on=date(2031, 1, 5),
        closes_on=date(2031, 1, 25),
        actor=office_user,
    )
    with pytest.raises(PermissionDenied):
        demand_services.round_close_scoring(round=call, actor=proposer_user)
    demand_services.round_close_scoring(round=call, actor=office_user, close_round=True)
    with pytest.raises(Conflict):
        demand_services.round_close_scoring(round=call, actor=office_user)
    with pytest.raises(PermissionDenied):  # the role still comes first
        demand_services.round_close_scoring(round=call, actor=proposer_user)


def test_official_of_is_set_through_the_api_so_a_panel_can_be_seated(api_client, office_user):
    api_client.force_authenticate(office_user)
    body = {
        "username": "idb-official",
        "email": "idb@example.gov.tw",
        "name": "經濟部工業局代表",
        "kind": "official",
        "official_of": "idb",
        "affiliation": "經濟部工業局",
    }
    created = api_client.post("/api/v1/reviewers/", body, format="json")
    assert created.status_code == 201 and created.json()["official_of"] == "idb"
    wrong = api_client.post(
        "/api/v1/reviewers/",
        {**body, "username": "a-scholar", "email": "s@example.edu.tw", "kind": "scholar"},
        format="json",
    )
    assert wrong.status_code == 400 and "official_of" in wrong.json()


def test_bills_are_untouched_by_a_refused_payment(bill, recipient_member):  # noqa: F811
    with pytest.raises(PermissionDenied):
        fee_services.payment_record(
            bill=bill, paid_on=date(2011, 10, 1), amount_twd=bill.amount_twd, actor=recipient_member
        )
    assert Bill.objects.get(pk=bill.pk).paid_amount_twd == 0


def test_a_withdrawn_case_offers_nobody_an_action(office_user, contractor_a_member, bill):  # noqa: F811
    case = bill.case
    assert "upload_document" in case_workflow.allowed(case, office_user)
    Case.objects.filter(pk=case.pk).update(status="withdrawn")
    case.refresh_from_db()
    # Not even "file" (a row without a source status is not an action on a case).
    assert case_workflow.allowed(case, office_user) == []
    assert case_workflow.allowed(case, contractor_a_member) == []
