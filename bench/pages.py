"""Benchmark of the staff pages people live in, and of approving the minutes of 50 decisions.

    python -m bench.pages --scale N [--requests 40]

Uses the balance benchmark's database of the same scale (``bench.balances``: 125
agreements and ~4,500 ledger entries per 1×) and adds, once, per 1×: 2,000 cases (one
activity each, statuses spread over the workflow), ~300 bills, 10 meetings of 30 agenda
items with their decisions, and 50 cases waiting for the promotion committee. Then the
office signs in and each page is requested ``--requests`` times in this process (Django's
test client: the server's whole work — middleware, views, queries, templates — without
the network): p50 and p95 in ms, and the queries of one request. The minutes approval is
the real service (``committee.services.minutes_approve``) on a fresh meeting of 50
pre-approval decisions, in a transaction rolled back after each run. Prints JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from bench.balances import _create_database, _setup_django
from bench.balances import build as build_balances

CASES_PER_SCALE = 2000
MEETINGS_PER_SCALE = 10
AGENDA_PER_MEETING = 30
MINUTES_DECISIONS = 50


# Agreements with at least 100 million points available today (the floor's arithmetic).
AVAILABLE_SQL = """
SELECT a.id FROM agreements_agreement a
JOIN agreements_creditentry e ON e.agreement_id = a.id AND e.effective_on <= %s
GROUP BY a.id
HAVING SUM(CASE e.applies_to WHEN 'obligation' THEN e.amount WHEN 'reserve' THEN -e.amount
  WHEN 'release' THEN e.amount WHEN 'actual' THEN -e.amount WHEN 'bank_draw' THEN -e.amount
  WHEN 'retention' THEN e.amount ELSE 0 END) >= 100000000
"""


def _statuses():
    from cases.choices import CaseStatus as S

    # Roughly a year's queue: most cases done or running, some in review.
    return (
        [S.SUBMITTED] * 2
        + [S.CHECKLIST, S.INITIAL_REVIEW, S.SUBCOMMITTEE_REVIEW, S.ON_AGENDA, S.RETURNED]
        + [S.PRE_APPROVED] * 2
        + [S.IN_EXECUTION] * 5
        + [S.ACTUAL_REQUESTED, S.ACTUALLY_APPROVED, S.ACTUALLY_APPROVED, S.CLOSED, S.REJECTED]
    )


def build(scale: int) -> dict:
    """Add the cases, bills and meetings of ``scale`` (once; a rerun reuses them)."""
    from django.db import connection, transaction
    from django.db.models import F

    from agreements.choices import CaseUse, Mode
    from agreements.models import Agreement
    from cases.choices import CaseStatus
    from cases.models import Activity, Case
    from committee.choices import AgendaKind, MeetingKind, MeetingStatus, Outcome
    from committee.models import AgendaItem, Decision, Meeting
    from feedback.models import Bill
    from organizations.choices import Field, OrganizationKind
    from organizations.models import Organization, User

    office = User.objects.get(username="bench-office")
    expected = CASES_PER_SCALE * scale + MINUTES_DECISIONS
    if Case.objects.count() == expected:
        return {"build_seconds": 0.0}
    if Case.objects.exists():
        raise SystemExit("The bench database holds another set of cases; drop it first.")
    started = time.monotonic()
    rng = random.Random(2011)
    agreements = list(Agreement.objects.only("id", "currency", "signed_on").order_by("id"))
    statuses = _statuses()
    fields = [value for value, _label in Field.choices]
    modes = [Mode.TECHNOLOGY_TRANSFER, Mode.DOMESTIC_PROCUREMENT, Mode.TRAINING]
    uses = [CaseUse.DIRECT_DEFENCE, CaseUse.INDIRECT_DEFENCE, CaseUse.INDUSTRY]
    with transaction.atomic():
        recipients = list(
            Organization.objects.filter(
                kind=OrganizationKind.DOMESTIC_RECIPIENT, name_zh__startswith="國內受益廠商"
            )
        ) or Organization.objects.bulk_create(
            Organization(
                kind=OrganizationKind.DOMESTIC_RECIPIENT,
                name_zh=f"國內受益廠商{i}",
                name_en=f"Recipient {i}",
                country="TW",
            )
            for i in range(20 * scale)
        )

        def case(i, status):
            agreement = agreements[i % len(agreements)]
            starts = agreement.signed_on + timedelta(days=rng.randrange(30, 900))
            submitted = starts - timedelta(days=20)
            return Case(
                number=f"BC-{i:07d}",
                agreement=agreement,
                title_zh=f"合作案{i}",
                title_en=f"Case {i}",
                use=rng.choice(uses),
                field=rng.choice(fields),
                status=status,
                starts_on=starts,
                ends_on=starts + timedelta(days=730),
                created_by=office,
                assignee=office if i % 3 else None,
                submitted_at=None
                if status == CaseStatus.DRAFT
                else f"{submitted.isoformat()}T09:00:00+08:00",
                subcommittee_outcome="pass" if status != CaseStatus.SUBMITTED else "",
            )

        cases = Case.objects.bulk_create(
            (case(i, rng.choice(statuses)) for i in range(CASES_PER_SCALE * scale)),
            batch_size=5000,
        )
        # The cases the minutes approve sit on agreements with credit left for them.
        with connection.cursor() as cursor:
            cursor.execute(AVAILABLE_SQL, [date.max])
            roomy = {row[0] for row in cursor.fetchall()}
        first = CASES_PER_SCALE * scale
        numbers = (
            i
            for i in range(first, first + len(agreements) * 2)
            if agreements[i % len(agreements)].pk in roomy
        )
        waiting = Case.objects.bulk_create(
            case(i, CaseStatus.SUBCOMMITTEE_REVIEW)
            for i in itertools.islice(numbers, MINUTES_DECISIONS)
        )

        def activity(c):
            value = Decimal(rng.randrange(10, 500) * 10000)
            multiplier = Decimal(rng.choice([1, 2, 3, 5]))
            return Activity(
                case=c,
                mode=rng.choice(modes),
                recipient=rng.choice(recipients),
                value=value,
                requested_multiplier=multiplier,
                requested_credits=value * multiplier,
            )

        activities = Activity.objects.bulk_create(
            (activity(c) for c in [*cases, *waiting]), batch_size=5000
        )
        Activity.objects.filter(case__in=waiting).update(
            value=Decimal("100000"), requested_credits=F("requested_multiplier") * 100000
        )
        billed = {CaseStatus.IN_EXECUTION, CaseStatus.ACTUALLY_APPROVED, CaseStatus.CLOSED}
        bills = []
        for c, a in zip(cases, activities, strict=False):
            if c.status in billed and rng.random() < 0.4:
                credits = a.requested_credits
                issued = c.starts_on + timedelta(days=60)
                amount = (credits * Decimal("0.015") * Decimal("30")).quantize(Decimal("1"))
                paid = rng.random() < 0.7
                bills.append(
                    Bill(
                        number=f"BB-{len(bills):07d}",
                        recipient_id=a.recipient_id,
                        case=c,
                        activity=a,
                        mode=a.mode,
                        credits=credits,
                        credit_currency=c.agreement.currency,
                        rate=Decimal("0.0150"),
                        defence_halved=False,
                        exchange_rate=Decimal("30.0000"),
                        amount_twd=amount,
                        paid_amount_twd=amount if paid else 0,
                        issued_on=issued,
                        due_on=issued + timedelta(days=30),
                        status="paid" if paid else "issued",
                    )
                )
        Bill.objects.bulk_create(bills, batch_size=5000)
        on_agenda = [c for c in cases if c.status != CaseStatus.SUBMITTED]
        meetings = Meeting.objects.bulk_create(
            Meeting(
                kind=MeetingKind.PROMOTION_COMMITTEE,
                year=2001 + i % 25,
                number=i // 25 + 1,
                held_on=date(2001 + i % 25, 3, 1) + timedelta(days=(i // 25) * 7 % 300),
                title=f"工業合作推動會第{i}次會議",
                title_en=f"Promotion committee meeting {i}",
                status=MeetingStatus.MINUTES_APPROVED,
                minutes_approved_on=date(2001 + i % 25, 12, 1),
                minutes_approved_by=office,
            )
            for i in range(MEETINGS_PER_SCALE * scale)
        )
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                kind=AgendaKind.PRE_APPROVAL,
                case=on_agenda[(m * AGENDA_PER_MEETING + k) % len(on_agenda)],
                note=f"第{k + 1}案",
            )
            for m, meeting in enumerate(meetings)
            for k in range(AGENDA_PER_MEETING)
        )
        Decision.objects.bulk_create(
            Decision(
                agenda_item=item,
                outcome=Outcome.APPROVED if k % 5 else Outcome.REJECTED,
                note="照案通過" if k % 5 else "不予同意",
                note_en="Approved as proposed" if k % 5 else "Not approved",
                activities=[],
                decided_by=office,
            )
            for k, item in enumerate(items)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"build_seconds": round(time.monotonic() - started, 1)}


def _sign_in():
    from django.test import Client

    from organizations.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hant")
    client.force_login(User.objects.get(username="bench-office"))
    return client


def pages() -> dict[str, str]:
    """The pages measured, by name: the same rows at every scale where a page shows one."""
    from cases.models import Case
    from committee.choices import MeetingStatus
    from committee.models import Meeting

    case = (
        Case.objects.filter(bills__isnull=False, agenda_items__isnull=False).order_by("id").first()
    )
    meeting = Meeting.objects.filter(number=1, year=2001).order_by("id").first()
    assert case is not None and meeting is not None
    # The meeting as the office sees it on the day: held, a decision form on every item.
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD, minutes_approved_on=None, minutes_approved_by=None
    )
    return {
        "office_home": "/home/office/",
        "agreement_list": "/agreements/",
        "case_queue": "/cases/",
        "case_queue_reports_overdue": "/cases/?reports=overdue",
        "case_page": f"/cases/{case.pk}/",
        "meeting_page_30_items": f"/meetings/{meeting.pk}/",
        "statistics": "/statistics/",
        "bill_list": "/bills/",
    }


def measure_page(client, path: str, requests: int) -> dict:
    from django.db import connection

    for _ in range(2):  # warm: templates, translations, the connection
        assert client.get(path).status_code == 200, path
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)
    ):
        client.get(path)
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
    return _figures(latencies) | {"queries": len(queries)}


def _figures(latencies: list[float]) -> dict:
    latencies = sorted(latencies)
    p95 = latencies[max(0, math.ceil(len(latencies) * 0.95) - 1)]  # nearest rank
    return {
        "runs": len(latencies),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
    }


class _Rollback(Exception):
    pass


def measure_minutes(runs: int) -> dict:
    """Approve the minutes of a fresh meeting of 50 pre-approval decisions (the service),
    ``runs`` times, each in a transaction rolled back afterwards."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from cases.choices import CaseStatus
    from cases.models import Case
    from committee import services
    from committee.choices import AgendaKind, MeetingKind, Outcome
    from organizations.models import User

    office = User.objects.get(username="bench-office")
    latencies, queries = [], 0
    for run in range(runs):
        try:
            with transaction.atomic():
                meeting = services.meeting_create(
                    kind=MeetingKind.PROMOTION_COMMITTEE,
                    year=2030,
                    number=90 + run,
                    held_on=date(2030, 3, 1),
                    actor=office,
                )
                waiting = Case.objects.filter(
                    status=CaseStatus.SUBCOMMITTEE_REVIEW, number__startswith="BC-"
                ).order_by("-id")[:MINUTES_DECISIONS]
                for case in waiting:
                    item = services.agenda_add(
                        meeting=meeting, case=case, kind=AgendaKind.PRE_APPROVAL, actor=office
                    )
                    approve = case.pk % 5 != 0
                    services.decision_record(
                        meeting=meeting,
                        agenda_item=item,
                        outcome=Outcome.APPROVED if approve else Outcome.REJECTED,
                        activities=[
                            {"activity": a.pk, "approved_multiplier": "1.00"}
                            for a in case.activities.all()
                        ]
                        if approve
                        else None,
                        actor=office,
                    )
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    services.minutes_approve(
                        meeting=meeting, actor=office, approved_on=date(2030, 3, 10)
                    )
                    latencies.append(time.perf_counter() - started)
                queries = len(captured.captured_queries)
                raise _Rollback
        except _Rollback:
            pass
    return _figures(latencies) | {"queries": queries, "decisions": MINUTES_DECISIONS}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="N times the 2011 program")
    parser.add_argument("--requests", type=int, default=40, help="per page")
    parser.add_argument("--minutes-runs", type=int, default=5)
    args = parser.parse_args(argv)

    _create_database(args.scale)
    _setup_django(args.scale)
    data = build_balances(args.scale)
    for key in ("token", "agreement_ids"):
        data.pop(key)
    data |= {"pages_" + k: v for k, v in build(args.scale).items()}
    from django.db import connection

    with connection.cursor() as cursor:
        # What earlier runs rolled back (each minutes approval is) is left as dead rows where
        # the server runs without autovacuum, as this machine's does; a live one cleans it.
        cursor.execute("VACUUM (ANALYZE)")
    from cases.models import Case
    from feedback.models import Bill

    data |= {"cases": Case.objects.count(), "bills": Bill.objects.count()}
    client = _sign_in()
    results = {name: measure_page(client, path, args.requests) for name, path in pages().items()}
    results["minutes_approval_50"] = measure_minutes(args.minutes_runs)
    print(json.dumps({"scale": args.scale, "data": data, "results": results}, indent=2))


if __name__ == "__main__":
    main()
