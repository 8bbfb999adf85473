"""The demo's guarantees and its shortfall (issue 16 item 5, domain.md §13): every
agreement signed in 2010–2011 holds a guarantee, some are released; Alstom's
Xinzhuang-Luzhou agreement, past its end with credit outstanding, is decided a penalty at
the 2011 #3 meeting, under the maximum set for it, due 30 days after the minutes, paid in
part and overdue, and nothing of it in the credit ledger; a second seed adds nothing."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from agreements.choices import AgreementStatus, GuaranteeStatus
from agreements.models import Agreement, CreditEntry, Guarantee
from agreements.selectors import agreement_balance
from committee import selectors
from committee.choices import AgendaKind, MeetingKind, Outcome
from committee.models import AgendaItem, Meeting
from feedback.choices import PenaltyStatus
from feedback.models import Penalty, PenaltyPayment
from organizations.models import AuditEvent

SHORTFALL = "ICP-2001-007"


def test_every_agreement_signed_in_2010_and_2011_holds_a_guarantee(demo_db):
    signed = Agreement.objects.filter(signed_on__year__in=(2010, 2011))
    assert signed.count() == 9
    for agreement in signed:
        guarantees = list(agreement.guarantees.all())
        assert guarantees, agreement.number
        for guarantee in guarantees:
            assert guarantee.status == GuaranteeStatus.HELD
            assert guarantee.valid_from == agreement.signed_on
            assert guarantee.valid_until > agreement.execution_ends_on
            # 5–10% of the obligation, in the agreement's currency.
            assert guarantee.currency == agreement.currency.removesuffix("_PTS")
            ratio = guarantee.amount / agreement.obligation
            assert Decimal("0.05") <= ratio <= Decimal("0.10"), agreement.number
    # Every agreement in execution holds one; two were given back (statuses vary).
    for agreement in Agreement.objects.filter(status=AgreementStatus.IN_EXECUTION):
        assert agreement.guarantees.exists(), agreement.number
    released = Guarantee.objects.filter(status=GuaranteeStatus.RELEASED)
    assert {(g.agreement.number, g.released_on) for g in released} == {
        ("ICP-2003-009", date(2011, 6, 30)),
        ("ICP-2008-011", date(2010, 12, 20)),
    }


def test_the_agreement_past_its_end_is_decided_a_penalty_under_its_maximum(demo_db):
    agreement = Agreement.objects.get(number=SHORTFALL)
    meeting = Meeting.objects.get(kind=MeetingKind.PROMOTION_COMMITTEE, year=2011, number=3)
    assert agreement.execution_ends_on < meeting.held_on
    balance = agreement_balance(agreement=agreement, as_of=meeting.held_on)
    assert balance.with_end(agreement.execution_ends_on).shortfall == 2_400_000_000

    item = AgendaItem.objects.get(meeting=meeting, kind=AgendaKind.PENALTY)
    assert item.agreement == agreement
    assert item.decision.outcome == Outcome.APPROVED

    penalty = Penalty.objects.get(agreement=agreement)
    assert penalty.agenda_item == item
    assert penalty.amount_twd == item.decision.amount_twd == 7_200_000
    assert agreement.penalty_cap_twd == 12_000_000
    assert penalty.amount_twd <= agreement.penalty_cap_twd
    assert penalty.issued_on == meeting.minutes_approved_on == date(2011, 9, 26)
    assert penalty.due_on == meeting.minutes_approved_on + timedelta(days=30)
    # Paid in part before the due date, the rest marked overdue by the daily job.
    assert list(
        PenaltyPayment.objects.filter(penalty=penalty).values_list("amount_twd", flat=True)
    ) == [3_600_000]
    assert penalty.paid_amount_twd == 3_600_000
    assert penalty.status == PenaltyStatus.OVERDUE

    # The ledger is untouched: the agreement's entries are its carried-over ones only.
    assert not CreditEntry.objects.filter(agreement=agreement, meeting=meeting).exists()
    assert not CreditEntry.objects.filter(
        agreement=agreement, effective_on__gt=date(2011, 1, 1)
    ).exists()


def test_the_2011_3rd_meetings_packet_has_the_shortfall_with_its_maximum(demo_db, tmp_path):
    meeting = Meeting.objects.get(kind=MeetingKind.PROMOTION_COMMITTEE, year=2011, number=3)
    path = tmp_path / "p3.pdf"
    path.write_bytes(selectors.packet_latest(meeting=meeting).file.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    section = text[text.rindex("Agreements past their end with a shortfall") :]
    assert SHORTFALL in section
    assert "2011-05-31" in section
    shortfall_row = next(line for line in section.splitlines() if "Shortfall" in line)
    assert "2,400,000,000.00" in shortfall_row  # on the meeting's day
    assert "NT$12,000,000" in section
    assert "penalty NT$7,200,000 on ICP-2001-007 (due 2011-10-26, overdue)" in demo_db.output


def test_a_second_seed_adds_no_guarantee_nor_penalty(demo_db):
    before = (
        Guarantee.objects.count(),
        list(Guarantee.objects.values_list("status", flat=True).order_by("id")),
        Penalty.objects.count(),
        PenaltyPayment.objects.count(),
        AgendaItem.objects.count(),
        AuditEvent.objects.count(),
    )
    out = StringIO()
    call_command("seed_demo", stdout=out)
    after = (
        Guarantee.objects.count(),
        list(Guarantee.objects.values_list("status", flat=True).order_by("id")),
        Penalty.objects.count(),
        PenaltyPayment.objects.count(),
        AgendaItem.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before
    assert "Guarantees: 17 (0 new), 15 held." in out.getvalue()
