"""What is due, per role (issue 14): the office's work queue on its home page — each line
a count (and an amount where there is one) linking to where the work is done. A few
queries in all, whatever the data's size."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements import selectors as agreement_selectors
from agreements.models import Agreement
from cases.choices import CaseStatus
from cases.models import Case
from committee.choices import MeetingStatus
from committee.models import Meeting
from demand_items.choices import RoundStatus
from demand_items.models import CallRound
from feedback.choices import OPEN_STATUSES, BillStatus
from feedback.models import Bill

# Bills due within this many days are "due soon"; meetings this far ahead are "upcoming".
DUE_SOON_DAYS = 14
UPCOMING_DAYS = 30
# The steps at which a case waits on the office, in the order of the workflow.
OFFICE_STEPS = (
    CaseStatus.SUBMITTED,
    CaseStatus.CHECKLIST,
    CaseStatus.INITIAL_REVIEW,
    CaseStatus.SUBCOMMITTEE_REVIEW,
    CaseStatus.ON_AGENDA,
    CaseStatus.ACTUAL_REQUESTED,
)


def _bills(today: date) -> list[dict[str, Any]]:
    open_bills = Bill.objects.filter(status__in=OPEN_STATUSES)
    # Overdue as the portal flags it (the daily task), so the count is what the list shows.
    overdue = open_bills.filter(status=BillStatus.OVERDUE).aggregate(
        n=Count("id"), owed=Sum(F("amount_twd") - F("paid_amount_twd"))
    )
    soon = open_bills.filter(
        status=BillStatus.ISSUED,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
    ).aggregate(n=Count("id"), owed=Sum(F("amount_twd") - F("paid_amount_twd")))
    url = reverse("bill_list")
    return [
        {
            "key": "bills-overdue",
            "label": _("Feedback-fee bills overdue"),
            "count": overdue["n"],
            "amount": overdue["owed"] or 0,
            "url": f"{url}?status={BillStatus.OVERDUE}",
            "urgent": True,
        },
        {
            "key": "bills-due",
            "label": _("Bills due within %(days)s days") % {"days": DUE_SOON_DAYS},
            "count": soon["n"],
            "amount": soon["owed"] or 0,
            "url": f"{url}?status={BillStatus.ISSUED}",
            "urgent": False,
        },
    ]


def _cases(user=None) -> list[dict[str, Any]]:
    """The cases waiting on the office by step; with ``user``, only those they handle."""
    cases = Case.objects.filter(status__in=OFFICE_STEPS)
    mine = ""
    if user is not None:
        cases = cases.filter(assignee=user)
        mine = "&assignee=mine"
    rows = cases.values("status").annotate(
        n=Count("id"), oldest=Min("submitted_at"), unassigned=Count("id", filter=Q(assignee=None))
    )
    by_status = {row["status"]: row for row in rows}
    url = reverse("case_list")
    lines = [
        {
            "key": f"cases-{status}",
            "label": _("Cases waiting: %(step)s") % {"step": CaseStatus(status).label},
            "count": by_status[status]["n"],
            "since": by_status[status]["oldest"],
            "url": f"{url}?status={status}{mine}",
            "urgent": False,
        }
        for status in OFFICE_STEPS
        if status in by_status
    ]
    if user is None:
        unassigned = sum(row["unassigned"] for row in by_status.values())
        steps = "".join(f"&status={status}" for status in OFFICE_STEPS)
        lines.append(
            {
                "key": "cases-unassigned",
                "label": _("Cases waiting on the office that nobody handles yet"),
                "count": unassigned,
                "url": f"{url}?assignee=none{steps}",
                "urgent": False,
            }
        )
    return lines


def _reports(today: date, user=None) -> list[dict[str, Any]]:
    """Quarterly progress reports overdue and due soon, over every executing case (or the
    cases ``user`` handles)."""
    from cases import selectors as case_selectors

    cases = Case.objects.all() if user is None else Case.objects.filter(assignee=user)
    counts = case_selectors.reports_due_counts(cases=cases, today=today)
    mine = "&assignee=mine" if user is not None else ""
    url = reverse("case_list")
    return [
        {
            "key": "reports-overdue",
            "label": _("Quarterly progress reports overdue"),
            "count": counts["overdue"],
            "cases": counts["overdue_cases"],
            "url": f"{url}?reports=overdue{mine}",
            "urgent": True,
        },
        {
            "key": "reports-due",
            "label": _("Quarterly progress reports due within %(days)s days")
            % {"days": case_selectors.REPORT_SOON_DAYS},
            "count": counts["coming"],
            "cases": counts["coming_cases"],
            "url": f"{url}?reports=due{mine}",
            "urgent": False,
        },
    ]


def _agreements(today: date) -> list[dict[str, Any]]:
    overdue_briefings = (
        Agreement.objects.filter(briefing_due_on__lt=today)
        .exclude(briefings__held_on__lte=F("briefing_due_on"))
        .count()
    )
    ended = list(
        Agreement.objects.filter(execution_ends_on__lt=today).values(
            "id", "currency", **agreement_selectors.MAINTAINED
        )
    )
    balances = agreement_selectors.balances_of(agreements=ended, as_of=today)
    outstanding = [row for row in ended if balances[row["id"]].outstanding > 0]
    url = reverse("agreement_list")
    return [
        {
            "key": "briefings-overdue",
            "label": _("Agreements whose briefing is overdue"),
            "count": overdue_briefings,
            "url": url,
            "urgent": True,
        },
        {
            "key": "agreements-ended",
            "label": _("Agreements past their execution end with credit outstanding"),
            "count": len(outstanding),
            "url": url,
            "urgent": True,
        },
        *_guarantees_and_penalties(today),
    ]


def _guarantees_and_penalties(today: date) -> list[dict[str, Any]]:
    """Held guarantees of agreements in execution expiring within 60 days, and penalties
    overdue (domain.md §13): two counts."""
    from agreements.choices import GUARANTEE_REMINDER_DAYS, AgreementStatus, GuaranteeStatus
    from agreements.models import Guarantee
    from feedback.choices import PenaltyStatus
    from feedback.models import Penalty

    expiring = Guarantee.objects.filter(
        status=GuaranteeStatus.HELD,
        agreement__status=AgreementStatus.IN_EXECUTION,
        valid_until__gte=today,
        valid_until__lte=today + timedelta(days=GUARANTEE_REMINDER_DAYS),
    ).count()
    overdue = Penalty.objects.filter(status=PenaltyStatus.OVERDUE).count()
    return [
        {
            "key": "guarantees-expiring",
            "label": _("Guarantees expiring within %(days)s days")
            % {"days": GUARANTEE_REMINDER_DAYS},
            "count": expiring,
            "url": reverse("agreement_list"),
            "urgent": False,
        },
        {
            "key": "penalties-overdue",
            "label": _("Penalties overdue"),
            "count": overdue,
            "url": f"{reverse('penalty_list')}?status={PenaltyStatus.OVERDUE}",
            "urgent": True,
        },
    ]


def _procurements(today: date) -> list[dict[str, Any]]:
    """Procurements whose agreement is overdue after the LOA (6 months), or due soon."""
    from agreements import pipeline_selectors

    due = pipeline_selectors.procurements_due(user=None, today=today, everyone=True)
    overdue = sum(1 for procurement in due if procurement.agreement_overdue(today))
    url = reverse("procurement_list")
    return [
        {
            "key": "procurements-overdue",
            "label": _("Agreements overdue 6 months after the LOA"),
            "count": overdue,
            "url": f"{url}#due",
            "urgent": True,
        },
        {
            "key": "procurements-due",
            "label": _("Agreements due within %(days)s days of their 6 months after the LOA")
            % {"days": pipeline_selectors.AGREEMENT_DUE_REMINDER_DAYS},
            "count": len(due) - overdue,
            "url": f"{url}#due",
            "urgent": False,
        },
    ]


def _meetings(today: date) -> list[dict[str, Any]]:
    held = Meeting.objects.filter(status=MeetingStatus.HELD, kind="promotion_committee").count()
    upcoming = Meeting.objects.filter(
        status=MeetingStatus.PLANNED,
        held_on__gte=today,
        held_on__lte=today + timedelta(days=UPCOMING_DAYS),
    ).count()
    rounds = CallRound.objects.filter(status=RoundStatus.OPEN, closes_on__lt=today).count()
    return [
        {
            "key": "minutes",
            "label": _("Minutes awaiting approval"),
            "count": held,
            "url": f"{reverse('meeting_list')}?status={MeetingStatus.HELD}",
            "urgent": True,
        },
        {
            "key": "meetings-upcoming",
            "label": _("Meetings in the next %(days)s days") % {"days": UPCOMING_DAYS},
            "count": upcoming,
            "url": reverse("meeting_list"),
            "urgent": False,
        },
        {
            "key": "rounds-to-close",
            "label": _("Call rounds past their closing day, still open"),
            "count": rounds,
            "url": reverse("call_round_list"),
            "urgent": True,
        },
    ]


def office_queue(*, today: date, mine=None) -> list[dict[str, Any]]:
    """The office's work queue: every line with something to do, urgent ones first. With
    ``mine`` (an office member), only the work assigned to them: their cases' steps and
    reports (bills, meetings and rounds belong to the office as a whole)."""
    if mine is not None:
        lines = _reports(today, mine) + _cases(mine)
    else:
        lines = (
            _bills(today)
            + _reports(today)
            + _agreements(today)
            + _procurements(today)
            + _meetings(today)
            + _cases()
        )
    due = [line for line in lines if line["count"]]
    return sorted(due, key=lambda line: not line["urgent"])


# --- A contractor's day --------------------------------------------------------------------

# The statuses in which a case waits on the contractor.
CONTRACTOR_STEPS = (
    CaseStatus.DRAFT,
    CaseStatus.SUPPLEMENT_REQUESTED,
    CaseStatus.RENEGOTIATE,
)
SHOWN = 10  # the lines listed per kind (the count says how many in all)


def agreement_balances(*, user, today: date, order: tuple[str, ...]) -> dict[str, Any]:
    """The agreements ``user`` sees with today's balance each, and the totals per
    currency (a contractor's or an agency's home): three queries in all."""
    agreements = (
        agreement_selectors.agreements_filtered(user=user)
        .select_related("contractor", "procurement")
        .order_by(*order)
    )
    # Today's figures from the maintained rows (the ledger only for an entry dated later).
    rows = list(agreements.values("id", "currency", **agreement_selectors.MAINTAINED))
    balances = agreement_selectors.balances_of(agreements=rows, as_of=today)
    return {
        "agreements": [(agreement, balances[agreement.pk]) for agreement in agreements],
        "totals": agreement_selectors.balance_totals(agreements=agreements, as_of=today),
    }


def contractor_day(*, user, today: date) -> dict[str, Any]:
    """A contractor's home (issue 14): its agreements with today's balances, the quarterly
    reports overdue and coming, the cases waiting on it, and its latest decision letters.
    A fixed number of queries: the reports come prefetched with the cases."""
    from cases import selectors as case_selectors
    from reports.models import DecisionLetter

    agreements = agreement_balances(user=user, today=today, order=("-signed_on", "id"))
    overdue, coming = case_selectors.reports_due(cases=Case.objects.visible_to(user), today=today)
    waiting = (
        Case.objects.visible_to(user).filter(status__in=CONTRACTOR_STEPS).order_by("created_at")
    )
    letters = (
        DecisionLetter.objects.filter(case__in=Case.objects.visible_to(user))
        .select_related("case", "meeting", "decision")
        .order_by("-issued_on", "-id")
    )
    from feedback.choices import OPEN_PENALTY_STATUSES
    from feedback.models import Penalty

    penalties = (
        Penalty.objects.visible_to(user)
        .filter(status__in=OPEN_PENALTY_STATUSES)
        .select_related("agreement")
        .order_by("due_on", "id")
    )
    return {
        **agreements,
        # Penalties the committee decided that are still to be paid (domain.md §13).
        "penalties": list(penalties[:SHOWN]),
        "overdue_count": len(overdue),
        "overdue": overdue[:SHOWN],
        "coming": coming[:SHOWN],
        "waiting_count": waiting.count(),
        "waiting": list(waiting[:SHOWN]),
        "letters": list(letters[:SHOWN]),
    }


# --- A domestic recipient's and a proposing unit's day --------------------------------------


def recipient_day(*, user, today: date) -> dict[str, Any]:
    """A domestic recipient's home: its bills overdue, due and paid, with what it owes."""
    from feedback import selectors as fee_selectors

    bills = fee_selectors.bill_list(user=user, filters={}).select_related("case")
    open_bills = bills.filter(status__in=OPEN_STATUSES)
    owed = F("amount_twd") - F("paid_amount_twd")
    return {
        "overdue": list(open_bills.filter(status=BillStatus.OVERDUE).order_by("due_on")[:SHOWN]),
        "due": list(open_bills.filter(status=BillStatus.ISSUED).order_by("due_on")[:SHOWN]),
        "paid": list(bills.filter(status=BillStatus.PAID).order_by("-issued_on")[:SHOWN]),
        "owed": open_bills.aggregate(total=Sum(owed))["total"] or 0,
        "counts": dict(
            bills.order_by()
            .values_list("status")
            .annotate(n=Count("id"))
            .values_list("status", "n")
        ),
    }


def proposer_day(*, user) -> dict[str, Any]:
    """A proposing unit's home: its demand items by stage, the latest first."""
    from demand_items import selectors as item_selectors
    from demand_items.choices import ItemStatus

    items = item_selectors.item_list(user=user, filters={})
    counts = dict(items.order_by().values_list("status").annotate(n=Count("id")))
    return {
        "stages": [
            (value, label, counts[value]) for value, label in ItemStatus.choices if value in counts
        ],
        "items": list(items.select_related("round").order_by("-id")[:SHOWN]),
    }
