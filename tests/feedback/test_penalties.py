"""Guarantees, shortfall and penalties (domain.md §13, issue 16 items 3-4): the 60-day
reminder once, the guarantee released at closure and called with its meeting, the shortfall
after the execution end, a penalty not above the maximum, due 30 days after the minutes,
paid, overdue and waived, and never a ledger entry."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from agreements import selectors as agreement_selectors
from agreements import services as agreement_services
from agreements.choices import AgreementStatus, GuaranteeKind, GuaranteeStatus
from agreements.models import CreditEntry, GuaranteeReminder
from committee import services as committee_services
from committee.choices import AgendaKind, MeetingKind, Outcome
from feedback import services
from feedback.choices import PenaltyStatus
from feedback.models import Penalty
from icp_portal.lib.errors import Conflict
from organizations.services import api_token_issue, system_user
from tests.factories import make_agreement

D = Decimal
ENDS = date(2010, 12, 31)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def agreement(office_user, contractor_a):
    """Signed 2008, execution ended 2010-12-31 with 1,000,000 USD points outstanding."""
    agreement = make_agreement(
        contractor=contractor_a,
        actor=office_user,
        signed_on=date(2008, 3, 1),
        obligation="1000000.00",
    )
    return agreement_services.agreement_update(
        agreement=agreement, actor=office_user, execution_ends_on=ENDS
    )


def _guarantee(agreement, actor, valid_until=date(2011, 6, 30)):
    return agreement_services.guarantee_add(
        agreement=agreement,
        kind=GuaranteeKind.PERFORMANCE_BOND,
        issuer="Bank of America, N.A.",
        amount=D("5000000.00"),
        currency="USD",
        valid_from=date(2008, 3, 1),
        valid_until=valid_until,
        actor=actor,
    )


def _meeting(actor, held_on=date(2011, 3, 25), number=1):
    return committee_services.meeting_create(
        kind=MeetingKind.PROMOTION_COMMITTEE,
        year=held_on.year,
        number=number,
        held_on=held_on,
        actor=actor,
    )


# --- Guarantees ---------------------------------------------------------------------------


def test_the_reminder_comes_60_days_before_expiry_and_only_once(
    agreement, office_user, contractor_a_member, django_capture_on_commit_callbacks
):
    guarantee = _guarantee(agreement, office_user, valid_until=date(2011, 6, 30))
    system = system_user()
    mail.outbox.clear()
    # 61 days before: not yet.
    assert agreement_services.guarantees_remind(today=date(2011, 4, 30), actor=system) == 0
    # 60 days before: the office is told, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert agreement_services.guarantees_remind(today=date(2011, 5, 1), actor=system) == 1
        assert agreement_services.guarantees_remind(today=date(2011, 5, 2), actor=system) == 0
    assert GuaranteeReminder.objects.filter(guarantee=guarantee).count() == 1
    assert [m.to for m in mail.outbox] == [[office_user.email]]
    assert "Bank of America, N.A." in mail.outbox[0].body


def test_no_reminder_once_the_obligation_is_met_or_the_agreement_closed(
    agreement, office_user, contractor_a
):
    _guarantee(agreement, office_user, valid_until=date(2011, 6, 30))
    agreement_services.agreement_close(
        agreement=agreement, actor=office_user, closed_on=date(2011, 4, 1)
    )
    assert agreement_services.guarantees_remind(today=date(2011, 5, 1), actor=system_user()) == 0


def test_closing_the_agreement_releases_every_guarantee_held(agreement, office_user):
    bond = _guarantee(agreement, office_user)
    letter = agreement_services.guarantee_add(
        agreement=agreement,
        kind=GuaranteeKind.LETTER_OF_GUARANTEE,
        issuer="Citibank, N.A.",
        amount=D("1000000.00"),
        currency="USD",
        valid_from=date(2008, 3, 1),
        valid_until=date(2012, 3, 1),
        actor=office_user,
    )
    agreement_services.agreement_close(
        agreement=agreement, actor=office_user, closed_on=date(2011, 9, 30)
    )
    for guarantee in (bond, letter):
        guarantee.refresh_from_db()
        assert guarantee.status == GuaranteeStatus.RELEASED
        assert guarantee.released_on == date(2011, 9, 30)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.COMPLETED


def test_closing_through_the_terms_form_releases_the_guarantees_too(agreement, office_user):
    bond = _guarantee(agreement, office_user)
    agreement_services.agreement_update(
        agreement=agreement, actor=office_user, status=AgreementStatus.TERMINATED
    )
    bond.refresh_from_db()
    assert bond.status == GuaranteeStatus.RELEASED


def test_a_called_guarantee_names_the_meeting_and_cannot_be_released(agreement, office_user):
    bond = _guarantee(agreement, office_user)
    meeting = _meeting(office_user)
    agreement_services.guarantee_call(
        guarantee=bond, meeting=meeting, actor=office_user, called_on=date(2011, 4, 1)
    )
    bond.refresh_from_db()
    assert (bond.status, bond.called_by_meeting_id) == (GuaranteeStatus.CALLED, meeting.pk)
    with pytest.raises(Conflict):
        agreement_services.guarantee_release(guarantee=bond, actor=office_user)


def test_only_the_office_records_a_guarantee_and_a_closed_agreement_takes_none(
    agreement, office_user, contractor_a_member
):
    with pytest.raises(PermissionDenied):
        _guarantee(agreement, contractor_a_member)
    agreement_services.agreement_close(agreement=agreement, actor=office_user)
    # The role is refused before the state: still 403 for the contractor, 409 for the office.
    with pytest.raises(PermissionDenied):
        _guarantee(agreement, contractor_a_member)
    with pytest.raises(Conflict):
        _guarantee(agreement, office_user)


# --- Shortfall ----------------------------------------------------------------------------


def test_the_shortfall_is_what_is_outstanding_after_the_execution_end(agreement):
    before = agreement_selectors.agreement_balance(agreement=agreement, as_of=ENDS)
    after = agreement_selectors.agreement_balance(agreement=agreement, as_of=ENDS + timedelta(1))
    assert before.with_end(ENDS).shortfall == D("0.00")
    assert after.with_end(ENDS).shortfall == D("1000000.00")


def test_the_balance_api_carries_the_execution_end_and_the_shortfall(
    agreement, api_client, office_user
):
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=office_user, actor=office_user)[1]}"
    )
    url = f"/api/v1/agreements/{agreement.pk}/balance/"
    body = api_client.get(url, {"as_of": "2011-01-01"}).json()
    assert (body["execution_ends_on"], body["shortfall"]) == ("2010-12-31", "1000000.00")
    assert api_client.get(url, {"as_of": "2010-12-31"}).json()["shortfall"] == "0.00"
    rows = api_client.get("/api/v1/balances/", {"as_of": "2011-01-01"}).json()["results"]
    assert [r["shortfall"] for r in rows if r["agreement"] == agreement.pk] == ["1000000.00"]


# --- Penalties ----------------------------------------------------------------------------


@pytest.fixture
def shortfall_item(agreement, office_user):
    agreement_services.agreement_set_penalty_cap(
        agreement=agreement, penalty_cap_twd=D("3000000"), actor=office_user
    )
    agreement.refresh_from_db()
    meeting = _meeting(office_user)
    return committee_services.agenda_add_agreement(
        meeting=meeting, agreement=agreement, actor=office_user
    )


def test_only_an_agreement_past_its_end_with_credit_outstanding_goes_on_the_agenda(
    office_user, contractor_b
):
    running = make_agreement(contractor=contractor_b, actor=office_user, signed_on=date(2009, 1, 5))
    with pytest.raises(ValidationError, match="executed until"):
        committee_services.agenda_add_agreement(
            meeting=_meeting(office_user), agreement=running, actor=office_user
        )


def test_a_penalty_above_the_maximum_is_refused(shortfall_item, office_user):
    with pytest.raises(ValidationError, match="above the maximum penalty of NT\\$3,000,000"):
        committee_services.decision_record(
            meeting=shortfall_item.meeting,
            agenda_item=shortfall_item,
            outcome=Outcome.APPROVED,
            amount_twd=D("3000001"),
            actor=office_user,
        )
    # At the maximum: accepted.
    decision = committee_services.decision_record(
        meeting=shortfall_item.meeting,
        agenda_item=shortfall_item,
        outcome=Outcome.APPROVED,
        amount_twd=D("3000000"),
        actor=office_user,
    )
    assert decision.amount_twd == D("3000000")


def test_approving_the_minutes_issues_the_penalty_due_in_30_days_and_leaves_the_ledger(
    shortfall_item, office_user, contractor_a_member, django_capture_on_commit_callbacks
):
    agreement = shortfall_item.agreement
    entries = CreditEntry.objects.count()
    before = agreement_selectors.agreement_balance(agreement=agreement, as_of=date(2011, 6, 1))
    committee_services.decision_record(
        meeting=shortfall_item.meeting,
        agenda_item=shortfall_item,
        outcome=Outcome.APPROVED,
        amount_twd=D("2500000"),
        note="逾期未履行，處以罰款。",
        actor=office_user,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False):
        committee_services.minutes_approve(
            meeting=shortfall_item.meeting, actor=office_user, approved_on=date(2011, 4, 8)
        )
    penalty = Penalty.objects.get(agenda_item=shortfall_item)
    assert (penalty.amount_twd, penalty.issued_on, penalty.due_on) == (
        D("2500000"),
        date(2011, 4, 8),
        date(2011, 5, 8),
    )
    assert penalty.number == f"PN-2011-{penalty.pk:05d}"
    assert CreditEntry.objects.count() == entries
    after = agreement_selectors.agreement_balance(agreement=agreement, as_of=date(2011, 6, 1))
    assert after == before
    # The contractor is told in its inbox (the e-mail goes after the commit).
    assert contractor_a_member.notifications.filter(kind="penalty_issued").count() == 1


def test_an_extension_moves_the_execution_end_and_issues_no_penalty(shortfall_item, office_user):
    committee_services.decision_record(
        meeting=shortfall_item.meeting,
        agenda_item=shortfall_item,
        outcome=Outcome.EXTENDED,
        new_ends_on=date(2012, 12, 31),
        actor=office_user,
    )
    committee_services.minutes_approve(
        meeting=shortfall_item.meeting, actor=office_user, approved_on=date(2011, 4, 8)
    )
    shortfall_item.agreement.refresh_from_db()
    assert shortfall_item.agreement.execution_ends_on == date(2012, 12, 31)
    assert not Penalty.objects.exists()


@pytest.fixture
def penalty(shortfall_item, office_user):
    committee_services.decision_record(
        meeting=shortfall_item.meeting,
        agenda_item=shortfall_item,
        outcome=Outcome.APPROVED,
        amount_twd=D("2500000"),
        actor=office_user,
    )
    committee_services.minutes_approve(
        meeting=shortfall_item.meeting, actor=office_user, approved_on=date(2011, 4, 8)
    )
    return Penalty.objects.get(agenda_item=shortfall_item)


def test_a_penalty_is_overdue_the_day_after_its_due_date_once(penalty):
    system = system_user()
    assert services.penalties_mark_overdue(today=date(2011, 5, 8), actor=system) == 0
    assert services.penalties_mark_overdue(today=date(2011, 5, 9), actor=system) == 1
    assert services.penalties_mark_overdue(today=date(2011, 5, 10), actor=system) == 0
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.OVERDUE


def test_payments_settle_a_penalty_and_an_overpayment_is_refused(penalty, office_user):
    entries = CreditEntry.objects.count()
    services.penalty_payment_record(
        penalty=penalty, paid_on=date(2011, 4, 20), amount_twd=D("1000000"), actor=office_user
    )
    with pytest.raises(ValidationError, match="more than the NT\\$1,500,000 still owed"):
        services.penalty_payment_record(
            penalty=penalty, paid_on=date(2011, 4, 21), amount_twd=D("1500001"), actor=office_user
        )
    services.penalty_payment_record(
        penalty=penalty, paid_on=date(2011, 4, 22), amount_twd=D("1500000"), actor=office_user
    )
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.PAID
    assert CreditEntry.objects.count() == entries


def test_the_contractor_may_not_pay_or_waive_and_a_paid_penalty_cannot_be_waived(
    penalty, office_user, contractor_a_member
):
    with pytest.raises(PermissionDenied):
        services.penalty_waive(penalty=penalty, reason="x", actor=contractor_a_member)
    services.penalty_payment_record(
        penalty=penalty, paid_on=date(2011, 4, 20), amount_twd=D("2500000"), actor=office_user
    )
    with pytest.raises(Conflict):
        services.penalty_waive(penalty=penalty, reason="late", actor=office_user)


def test_the_penalties_api_shows_the_contractor_its_own_and_refuses_its_writes(
    penalty, api_client, contractor_a_member, contractor_b_member
):
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=contractor_a_member, actor=contractor_a_member)[1]}"
    )
    rows = api_client.get("/api/v1/penalties/").json()["results"]
    assert [(r["id"], r["amount_twd"], r["due_on"], r["status"]) for r in rows] == [
        (penalty.pk, "2500000.00", "2011-05-08", "issued")
    ]
    refused = api_client.post(f"/api/v1/penalties/{penalty.pk}/waive/", {"reason": "no"})
    assert refused.status_code == 403
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=contractor_b_member, actor=contractor_b_member)[1]}"
    )
    assert api_client.get("/api/v1/penalties/").json()["results"] == []
    assert api_client.get(f"/api/v1/penalties/{penalty.pk}/").status_code == 404


def test_the_decision_api_refuses_a_penalty_above_the_maximum_with_400(
    shortfall_item, api_client, office_user
):
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=office_user, actor=office_user)[1]}"
    )
    url = f"/api/v1/meetings/{shortfall_item.meeting_id}/decisions/"
    data = {"agenda_item": shortfall_item.pk, "outcome": "approved", "amount_twd": "3000001"}
    response = api_client.post(url, data, format="json")
    assert response.status_code == 400
    # The refusal names the field and both figures (in the caller's language).
    (message,) = response.json()["amount_twd"]
    assert "3,000,001" in message and "3,000,000" in message


def test_the_agenda_api_puts_an_agreement_on_for_a_shortfall(agreement, api_client, office_user):
    meeting = _meeting(office_user)
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=office_user, actor=office_user)[1]}"
    )
    response = api_client.post(
        f"/api/v1/meetings/{meeting.pk}/agenda/",
        {"kind": AgendaKind.PENALTY, "agreement": agreement.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["agreement"] == agreement.pk


def test_the_guarantees_api_lists_for_the_contractor_and_refuses_its_writes(
    agreement, api_client, office_user, contractor_a_member
):
    _guarantee(agreement, office_user)
    api_client.credentials(
        HTTP_AUTHORIZATION=f"Token {api_token_issue(user=contractor_a_member, actor=contractor_a_member)[1]}"
    )
    url = f"/api/v1/agreements/{agreement.pk}/guarantees/"
    rows = api_client.get(url).json()["results"]
    assert [(r["kind"], r["issuer"], r["amount"], r["status"]) for r in rows] == [
        ("performance_bond", "Bank of America, N.A.", "5000000.00", "held")
    ]
    body = {
        "kind": "letter_of_guarantee",
        "issuer": "X",
        "amount": "1.00",
        "currency": "USD",
        "valid_from": "2011-01-01",
        "valid_until": "2012-01-01",
    }
    assert api_client.post(url, body, format="json").status_code == 403


def test_the_agreement_page_shows_guarantees_shortfall_and_penalties(
    penalty, client, contractor_a_member, office_user
):
    _guarantee(penalty.agreement, office_user)
    client.force_login(contractor_a_member)
    page = client.get(
        reverse("agreement_detail", args=[penalty.agreement_id]), {"as_of": "2011-06-01"}
    )
    text = page.content.decode()
    assert "Bank of America, N.A." in text
    assert penalty.number in text
    assert "1,000,000.00" in text  # the shortfall
    assert reverse("guarantee_add", args=[penalty.agreement_id]) not in text
    home = client.get(reverse("home"), follow=True).content.decode()
    assert penalty.number in home


def test_the_office_queue_counts_guarantees_expiring_and_penalties_overdue(penalty, office_user):
    from reports.work import office_queue

    _guarantee(penalty.agreement, office_user, valid_until=date(2011, 6, 30))
    services.penalties_mark_overdue(today=date(2011, 5, 9), actor=system_user())
    lines = {line["key"]: line["count"] for line in office_queue(today=date(2011, 5, 9))}
    assert lines["guarantees-expiring"] == 1
    assert lines["penalties-overdue"] == 1


def test_the_packet_has_a_section_for_a_shortfall_item(shortfall_item):
    from committee.selectors import packet_contents

    contents = packet_contents(meeting=shortfall_item.meeting)
    (section,) = contents["shortfall_sections"]
    assert section["balance"].shortfall == D("1000000.00")
    assert section["agreement"].penalty_cap_twd == D("3000000")
