"""The demo replay of 2011 (demo/replay.py): each promotion-committee meeting's approved
minutes add up, in the ledger, to the totals the final report published; and seed_demo
run twice gives the same data; the replay is dated 2010–2011, as it happened."""

from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from agreements.choices import EntryKind, PointsCurrency
from agreements.models import Agreement, CreditEntry, Guarantee
from agreements.selectors import agreement_balance
from cases.models import Case, CaseDocument, ProgressReport
from committee.choices import AgendaKind, MeetingKind, MeetingStatus, Outcome
from committee.models import Decision, Meeting, Opinion
from feedback.models import Penalty, PenaltyPayment
from organizations.choices import ReviewerKind
from organizations.models import AuditEvent, Membership

USD, TWD = PointsCurrency.USD_PTS, PointsCurrency.TWD_PTS
PRE, ACTUAL = AgendaKind.PRE_APPROVAL, AgendaKind.ACTUAL_APPROVAL

# Final report 4(2): what each 2011 meeting decided. "保留額度留存" (retention kept) is
# recorded as on record, so the 2nd meeting has two.
PUBLISHED = {
    1: {
        "held_on": date(2011, 3, 17),
        "reserve": {USD: Decimal("26726856")},
        "actual": {USD: Decimal("37872762")},
        "decisions": {
            (PRE, Outcome.APPROVED): 3,
            (PRE, Outcome.REJECTED): 1,
            (ACTUAL, Outcome.APPROVED): 5,
            (AgendaKind.CLOSURE, Outcome.CLOSED): 2,
            (AgendaKind.EXTENSION, Outcome.EXTENDED): 3,
        },
    },
    2: {
        "held_on": date(2011, 6, 2),
        "reserve": {USD: Decimal("69884223")},
        "actual": {USD: Decimal("305627864")},
        "decisions": {
            (PRE, Outcome.APPROVED): 1,
            (ACTUAL, Outcome.APPROVED): 5,
            (AgendaKind.ON_RECORD, Outcome.NOTED): 2,
            (AgendaKind.CLOSURE, Outcome.CLOSED): 1,
            (AgendaKind.EXTENSION, Outcome.EXTENDED): 2,
            (AgendaKind.CLOSURE, Outcome.CLOSED_WITH_RETENTION): 1,
        },
    },
    3: {
        "held_on": date(2011, 9, 8),
        "reserve": {USD: Decimal("223250000")},
        "actual": {USD: Decimal("13926904"), TWD: Decimal("199162419")},
        "decisions": {
            (PRE, Outcome.APPROVED): 4,
            (ACTUAL, Outcome.APPROVED): 3,
            (AgendaKind.ON_RECORD, Outcome.NOTED): 1,
            (AgendaKind.CLOSURE, Outcome.CLOSED): 1,
            (AgendaKind.EXTENSION, Outcome.EXTENDED): 5,
            (AgendaKind.WITHDRAWAL, Outcome.WITHDRAWN): 1,
            # Not in the report: the demo's shortfall decided as a penalty (issue 16).
            (AgendaKind.PENALTY, Outcome.APPROVED): 1,
        },
    },
    4: {
        "held_on": date(2011, 11, 29),
        "reserve": {USD: Decimal("147592430")},
        "actual": {USD: Decimal("148016537")},
        "decisions": {
            (PRE, Outcome.APPROVED): 7,
            (PRE, Outcome.REJECTED): 2,
            (ACTUAL, Outcome.APPROVED): 6,
            (AgendaKind.CLOSURE, Outcome.CLOSED): 1,
            (AgendaKind.EXTENSION, Outcome.EXTENDED): 1,
            (AgendaKind.WITHDRAWAL, Outcome.WITHDRAWN): 1,
        },
    },
}


def _sums(meeting, kind) -> dict[str, Decimal]:
    rows = (
        CreditEntry.objects.filter(meeting=meeting, kind=kind)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["currency"]: row["total"] for row in rows}


def _snapshot() -> dict:
    return {
        "meetings": Meeting.objects.count(),
        "cases": Case.objects.count(),
        "entries": CreditEntry.objects.count(),
        "decisions": Decision.objects.count(),
        "opinions": Opinion.objects.count(),
        "reports": ProgressReport.objects.count(),
        "documents": CaseDocument.objects.count(),
        "events": AuditEvent.objects.count(),
        "case_history": Case.history.count(),
        "guarantees": Guarantee.objects.count(),
        "penalties": Penalty.objects.count(),
        "penalty_payments": PenaltyPayment.objects.count(),
    }


def test_each_2011_meeting_adds_up_to_the_published_totals(demo_db):
    assert "26,726,856 USD pts" in demo_db.output

    for number, published in PUBLISHED.items():
        meeting = Meeting.objects.get(
            kind=MeetingKind.PROMOTION_COMMITTEE, year=2011, number=number
        )
        assert meeting.held_on == published["held_on"]
        assert meeting.status == MeetingStatus.MINUTES_APPROVED
        assert meeting.minutes_approved_on > meeting.held_on
        assert _sums(meeting, EntryKind.RESERVE) == published["reserve"], number
        assert _sums(meeting, EntryKind.ACTUAL) == published["actual"], number
        decisions = Counter(
            Decision.objects.filter(agenda_item__meeting=meeting).values_list(
                "agenda_item__kind", "outcome"
            )
        )
        assert decisions == published["decisions"], number
        # Every decision was applied on the meeting's date.
        assert set(
            CreditEntry.objects.filter(meeting=meeting).values_list("effective_on", flat=True)
        ) == {meeting.held_on}

    # No pre-approval went beyond an agreement's available credit.
    for agreement in Agreement.objects.all():
        assert agreement_balance(agreement=agreement, as_of=date.max).available >= 0
    # The 2nd meeting's closure with retention moved a legacy agreement's surplus to the bank.
    retention = CreditEntry.objects.get(
        kind=EntryKind.RETENTION, meeting__year=2011, meeting__number=2
    )
    assert retention.agreement.signed_on < date(2012, 1, 1)
    assert retention.amount > 0
    # The real cases of the final report are there, with the recipients it names.
    for title, recipient in [
        ("MRJ客機零組件", "漢翔"),
        ("2MW風力發電機齒輪箱", "台朔重工"),
        ("737/747客機壓力艙門", "漢翔"),
        ("歐洲民航法規(EASA)", "漢翔"),
    ]:
        case = Case.objects.get(title_zh__startswith=title)
        assert case.activities.filter(recipient__name_zh__startswith=recipient).exists()
    # Sub-committees seat 5–7 with experts more than half, and every member filed or
    # declared a conflict.
    for meeting in Meeting.objects.filter(kind=MeetingKind.SUBCOMMITTEE):
        members = list(meeting.members.all())
        assert 5 <= len(members) <= 7
        assert sum(m.kind == ReviewerKind.EXPERT for m in members) * 2 > len(members)
        for item in meeting.agenda.all():
            filed = meeting.opinions.filter(case=item.case).count()
            conflicts = meeting.conflicts.filter(case=item.case).count()
            assert filed + conflicts == len(members)


def test_seed_demo_twice_changes_nothing(demo_db):
    first = _snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert _snapshot() == first
    assert "already loaded" in out.getvalue()


def test_the_replay_is_dated_2010_and_2011_as_it_happened(demo_db):
    subcommittees = {
        (m.year, m.number): m for m in Meeting.objects.filter(kind=MeetingKind.SUBCOMMITTEE)
    }
    cases = Case.objects.all()
    assert cases.count() == 44
    for case in cases:
        filed = timezone.localtime(case.submitted_at).date()
        # Numbered by the year it was filed in, filed before its sub-committee met.
        assert case.number.startswith(f"C-{filed.year}-"), case.number
        assert date(2010, 7, 1) <= filed <= date(2011, 10, 31), case.number
        review = case.agenda_items.get(kind=AgendaKind.CASE_REVIEW).meeting
        assert review == subcommittees[(review.year, review.number)]
        assert filed < review.held_on
    assert cases.filter(number__startswith="C-2011-").count() == 18
    assert cases.filter(number__startswith="C-2010-").count() == 26
    # Every promotion-committee and policy steering meeting has its minutes approved on
    # their 2010–2011 date.
    decided = (MeetingKind.PROMOTION_COMMITTEE, MeetingKind.POLICY_STEERING)
    for meeting in Meeting.objects.filter(kind__in=decided):
        assert meeting.status == MeetingStatus.MINUTES_APPROVED
        assert meeting.year in (2010, 2011)
        assert meeting.minutes_approved_on.year == meeting.year
    # Sub-committees and demand panels carry no minutes: every one of 2010–2011 was held.
    others = Meeting.objects.exclude(kind__in=decided)
    assert others.exists()
    assert set(others.values_list("status", flat=True)) == {MeetingStatus.HELD}


def test_the_replay_emails_nobody(demo_db):
    assert demo_db.mails == 0


def test_what_the_office_writes_for_contractors_has_its_english(demo_db, client):
    """Issue 14 item 4: the English UI of the demo shows English decisions, reasons,
    opinions, ledger notes and meeting titles."""
    assert not Meeting.objects.filter(title_en="").exclude(title="").exists()
    assert not Decision.objects.filter(note_en="").exclude(note="").exists()
    assert (
        not Case.objects.filter(initial_review_opinion_en="")
        .exclude(initial_review_opinion="")
        .exists()
    )
    assert not CreditEntry.objects.filter(note_en="").exclude(note="").exists()
    rejected = Decision.objects.filter(outcome=Outcome.REJECTED).select_related(
        "agenda_item__case__agreement__contractor"
    )
    decision = rejected.get(note__startswith="技術層次不高")
    assert decision.note_en.startswith("The technology is not advanced")
    case = decision.agenda_item.case
    person = Membership.objects.filter(organization=case.agreement.contractor).first().user
    client.force_login(person)
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert decision.note_en in page and decision.note not in page
