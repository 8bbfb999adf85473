"""Reads of the procurement pipeline (domain.md §12), the same for the pages and the API:
visibility first (staff all, an agency its own procurements, a contractor those it holds an
agreement on), then the stage."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, QuerySet
from django.utils import timezone

from agreements import pipeline
from agreements.choices import (
    AGREEMENT_AFTER_LOA_MONTHS,
    AGREEMENT_DUE_REMINDER_DAYS,
    ProcurementStage,
)
from agreements.models import Procurement

# The stages a procurement waits in for its agreement once the LOA is signed.
AWAITING_AGREEMENT = pipeline.TRANSITIONS["remind_due"].sources


def procurement_pipeline(*, user) -> QuerySet[Procurement]:
    """The visible procurements with their pipeline counts, in stage order then newest."""
    return (
        Procurement.objects.visible_to(user)
        .select_related("agency")
        .annotate(
            assessment_count=Count("assessments", distinct=True),
            negotiation_count=Count("negotiations", distinct=True),
        )
        .order_by("-contract_signed_on", "id")
    )


def pipeline_by_stage(*, user) -> list[dict[str, Any]]:
    """One group per stage (planning first, no ICP last), each with its procurements."""
    groups: dict[str, list[Procurement]] = {stage: [] for stage in ProcurementStage.values}
    for procurement in procurement_pipeline(user=user):
        groups[procurement.stage].append(procurement)
    return [
        {"stage": stage, "label": ProcurementStage(stage).label, "procurements": rows}
        for stage, rows in groups.items()
    ]


def procurements_due(
    *, user, today: date | None = None, everyone: bool = False
) -> list[Procurement]:
    """Procurements whose agreement is due (LOA + 6 months) within the reminder's days, or
    overdue: what the office must chase, soonest first (``everyone``: the office's queue,
    no user to scope by)."""
    today = today or timezone.localdate()
    # LOA + 6 months ≤ today + N days  ⇔  LOA ≤ today + N days − 6 months.
    latest_loa = today + timedelta(days=AGREEMENT_DUE_REMINDER_DAYS)
    latest_loa -= relativedelta(months=AGREEMENT_AFTER_LOA_MONTHS)
    procurements = Procurement.objects.all() if everyone else Procurement.objects.visible_to(user)
    rows = (
        procurements.filter(stage__in=AWAITING_AGREEMENT, loa_signed_on__lte=latest_loa)
        .select_related("agency")
        .order_by("loa_signed_on", "id")
    )
    return list(rows)


def procurement_detail(*, procurement: Procurement) -> dict[str, Any]:
    """What the procurement's page shows: its assessment, specification, team, meetings,
    planned items and agreements."""
    return {
        "assessments": list(procurement.assessments.order_by("id")),
        "standards": list(procurement.spec_standards.order_by("mode")),
        "team": list(procurement.team.order_by("-leader", "id")),
        "negotiations": list(procurement.negotiations.order_by("held_on", "id")),
        "planned_items": list(procurement.planned_items.select_related("demand_item")),
        "agreements": list(procurement.agreements.select_related("contractor")),
    }
