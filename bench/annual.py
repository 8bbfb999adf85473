"""Benchmark of the annual report (年度執行成果報告) job at 1× and 10× the 2011 year.

    python -m bench.annual --scale N [--repeat R]

Builds (once per scale; reused while complete) its own PostgreSQL database
(``BENCH_DATABASE_URL`` + ``_annual_Nx``) holding the seeded demo (``seed_demo``: the real
2011 year), and for N > 1 the year's committee work N times over: every 2011 promotion-
committee decision on a case repeated N − 1 times on a copy of its case (activities,
agenda item, decision, ledger entries, outcomes), and the office's activity log N times.
Then it runs the annual report job (``reports.tasks.run_job``: selectors, charts,
WeasyPrint) for 2011 as PDF and as xlsx, each in a fresh process, and prints JSON: wall
time, peak RSS (MB), pages and size. Tests never assert these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.common import create_database

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://icp:icp@127.0.0.1:5432/icp_bench")
YEAR = 2011


def _database_url(scale: int) -> str:
    parts = urlsplit(BASE_URL)
    return urlunsplit(parts._replace(path=f"{parts.path}_annual_{scale}x"))


def _environment(scale: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "icp_portal.settings",
        "DATABASE_URL": _database_url(scale),
        "MEDIA_ROOT": str(Path(tempfile.gettempdir()) / f"icp_bench_annual_{scale}x_media"),
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DEBUG": "true",  # seed_demo refuses production settings
        "LOG_LEVEL": "ERROR",
        "CELERY_BROKER_URL": "",
    }


def _create_database(scale: int) -> None:
    create_database(_database_url(scale))


def _setup(scale: int) -> None:
    os.environ.update(_environment(scale))
    if not os.environ["CELERY_BROKER_URL"]:
        del os.environ["CELERY_BROKER_URL"]  # eager: the seed's tasks run inline
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _multiply(scale: int) -> int:
    """Repeat every 2011 promotion-committee decision on a case ``scale − 1`` times on a
    copy of the case, with its activities, agenda item, decision, ledger entries and
    outcomes; and the office's 2011 activity log. Returns the decisions added."""
    from django.db import transaction

    from agreements.models import CreditEntry
    from cases.models import Activity, Case, CaseOutcome
    from committee.models import AgendaItem, Decision
    from reports.models import OfficeActivity

    decisions = list(
        Decision.objects.filter(
            agenda_item__meeting__kind="promotion_committee",
            agenda_item__meeting__year=YEAR,
            agenda_item__case__isnull=False,
        ).select_related("agenda_item__case", "agenda_item__meeting")
    )
    added = 0
    with transaction.atomic():
        for copy in range(1, scale):
            for decision in decisions:
                source = decision.agenda_item.case
                case = Case.objects.get(pk=source.pk)
                case.pk = None
                case.number = f"{source.number}-x{copy}-{decision.pk}"
                case.save()
                for activity in Activity.objects.filter(case=source):
                    activity.pk, activity.case = None, case
                    activity.save()
                item = AgendaItem.objects.create(
                    meeting=decision.agenda_item.meeting,
                    kind=decision.agenda_item.kind,
                    case=case,
                    note=decision.agenda_item.note,
                )
                Decision.objects.create(
                    agenda_item=item,
                    outcome=decision.outcome,
                    note=decision.note,
                    activities=[],
                    decided_by=decision.decided_by,
                )
                entries = CreditEntry.objects.filter(
                    case=source, meeting=decision.agenda_item.meeting
                ).exclude(kind="reversal")
                CreditEntry.objects.bulk_create(
                    CreditEntry(
                        agreement_id=entry.agreement_id,
                        kind=entry.kind,
                        applies_to=entry.applies_to,
                        amount=entry.amount,
                        currency=entry.currency,
                        use=entry.use,
                        effective_on=entry.effective_on,
                        case=case,
                        meeting_id=entry.meeting_id,
                        note=entry.note,
                        created_by_id=entry.created_by_id,
                    )
                    for entry in entries
                )
                for outcome in CaseOutcome.objects.filter(case=source):
                    outcome.pk, outcome.case = None, case
                    outcome.save()
                added += 1
            OfficeActivity.objects.bulk_create(
                OfficeActivity(
                    kind=a.kind,
                    held_on=a.held_on,
                    title=f"{a.title} #{copy}",
                    counterpart=a.counterpart,
                    firms=a.firms,
                    people=a.people,
                    recorded_by_id=a.recorded_by_id,
                )
                for a in OfficeActivity.objects.filter(held_on__year=YEAR).exclude(
                    title__contains=" #"
                )
            )
    return added


def build(scale: int) -> dict:
    """Seed the demo and multiply its 2011 year (once per scale)."""
    from django.core.management import call_command

    from committee.models import Decision

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    base = Decision.objects.filter(
        agenda_item__meeting__kind="promotion_committee", agenda_item__meeting__year=YEAR
    )
    if not base.exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if not base.filter(agenda_item__case__number__contains="-x").exists() and scale > 1:
        _multiply(scale)
    expected = base.count()
    return {"decisions_2011": expected, "seconds": round(time.monotonic() - started, 1)}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: its own, reset at exec; ``ru_maxrss``
    of a child would also count the larger parent it was forked from)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child(scale: int, fmt: str) -> dict:
    """Build the year's annual report as ``fmt`` in this (fresh) process."""
    from organizations.models import User
    from reports import tasks
    from reports.models import ReportJob

    office = User.objects.get(username="office")
    job = ReportJob.objects.create(
        kind="annual", parameters={"year": YEAR}, format=fmt, requested_by=office
    )
    started = time.monotonic()
    result = tasks.run_job(job.pk)
    seconds = time.monotonic() - started
    job.refresh_from_db()
    return {
        "format": fmt,
        "result": result,
        "seconds": round(seconds, 2),
        "peak_mb": _peak_mb(),
        "pages": job.pages,
        "size_kb": round((job.size_bytes or 0) / 1024, 1),
        "error": job.error[:200],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", choices=["pdf", "xlsx"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _setup(args.scale)
        print(json.dumps(child(args.scale, args.child)))
        return
    _create_database(args.scale)
    _setup(args.scale)
    data = build(args.scale)
    runs = []
    for fmt in ("pdf", "xlsx"):
        for _ in range(args.repeat):
            output = subprocess.run(
                [sys.executable, "-m", "bench.annual", "--scale", str(args.scale), "--child", fmt],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
    print(json.dumps({"scale": args.scale, "data": data, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
