"""The outcomes the 2011 cases brought and the year's KPI targets (``outcomes.yaml``),
recorded through the services as the office records them. Idempotent."""

from __future__ import annotations

from django.utils import timezone

from cases import services as case_services
from cases.choices import OutcomeStage
from cases.models import CaseOutcome
from demo.loader import load, office
from demo.replay import case_by_key
from reports.models import KpiTarget

FIGURES = ("investment_twd", "orders_twd", "added_output_twd", "people_trained", "jobs")


def seed() -> list[str]:
    data = load("outcomes")
    for target in data["targets"]:
        KpiTarget.objects.update_or_create(
            year=target["year"], defaults={k: v for k, v in target.items() if k != "year"}
        )
    actor = office()
    recorded = 0
    for spec in data["outcomes"]:
        case = case_by_key(spec["case"])
        if CaseOutcome.objects.filter(case=case, stage=OutcomeStage.AT_APPROVAL).exists():
            continue
        case_services.outcome_record(
            case=case,
            stage=OutcomeStage.AT_APPROVAL,
            as_of=spec["as_of"],
            technologies=spec.get("technologies", []),
            incrementality=spec["incrementality"],
            actor=actor,
            **{name: spec[name] for name in FIGURES if name in spec},
        )
        recorded += 1
    years = len(data["targets"])
    return [f"Outcomes: {recorded} cases' outcomes recorded; KPI targets of {years} year(s)."]


def seed_office() -> list[str]:
    """The office's 2011 activity log and its work-plan targets (``office.yaml``)."""
    from reports import services as report_services
    from reports.models import OfficeActivity

    data = load("office")
    actor = office()
    for year, targets in data["targets"].items():
        for measure, target in targets.items():
            report_services.target_set(year=year, measure=measure, target=target, actor=actor)
    logged = 0
    if not OfficeActivity.objects.exists():
        for kind, rows in data["activities"].items():
            for row in rows:
                if row.get("pipeline"):
                    continue  # recorded by the procurement pipeline (demo/agreements.py)
                report_services.activity_record(
                    kind=kind,
                    held_on=row["date"],
                    title=row["title"],
                    counterpart=row.get("counterpart", ""),
                    firms=row.get("firms", 0),
                    people=row.get("people", 0),
                    actor=actor,
                )
                logged += 1
    return [f"Office: {logged} activities of 2011 logged; the year's work-plan targets entered."]


def seed_assignments() -> list[str]:
    """Share the open cases out between the office's members (承辦人), in turn by number,
    through the service (a case already handled keeps its handler)."""
    from cases.models import Case
    from cases.workflow import OPEN
    from organizations.models import User

    people = load("people")
    names = [people["office"]["username"]] + [c["username"] for c in people["office_colleagues"]]
    staff = [User.objects.get(username=name) for name in names]
    actor = office()
    assigned = 0
    for index, case in enumerate(Case.objects.filter(status__in=OPEN).order_by("number")):
        if case.assignee_id is None:
            case_services.case_assign(case=case, assignee=staff[index % len(staff)], actor=actor)
            assigned += 1
    from committee import services as committee_services
    from organizations.services import system_user

    # What the daily job does on the day the demo is loaded: a meeting past is held.
    held = committee_services.meetings_mark_past_held(
        today=timezone.localdate(), actor=system_user()
    )
    return [
        f"Office: {assigned} open cases shared out between {len(staff)} members; "
        f"{held} past meetings marked held."
    ]
