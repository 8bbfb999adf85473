"""Procurements, agreements and their ledgers around the 2011 program year
(``agreements.yaml``), through the agreements services.

Idempotent: an agreement is created (and its ledger posted) only when its number is new.
"""

from __future__ import annotations

from agreements import pipeline_services, services
from agreements.choices import (
    AgreementStatus,
    AssessmentResult,
    CaseUse,
    EntryKind,
    Ministry,
    ProcurementStage,
)
from agreements.models import (
    Agreement,
    Briefing,
    CreditBank,
    CreditEntry,
    MultiplierStandard,
    PlanItem,
    Procurement,
)
from demo.loader import D, load, office, party

# Ledger rows posted with a use (預核/實核 lines) and the service that posts each kind.
POST_WITH_USE = {
    EntryKind.RESERVE: services.credit_reserve,
    EntryKind.RELEASE: services.credit_release,
    EntryKind.ACTUAL: services.credit_post_actual,
}


def _procurement(spec: dict, actor) -> Procurement:
    agency = party(spec["agency"])
    contract = spec["contract"]
    existing = Procurement.objects.filter(agency=agency, title_zh=spec["title_zh"]).first()
    return existing or services.procurement_create(
        actor=actor,
        agency=agency,
        title_zh=spec["title_zh"],
        title_en=spec["title_en"],
        contract_value=D(contract["value"]),
        contract_currency=contract["currency"],
        contract_signed_on=contract["signed_on"],
        # The defence ministry's purchases are defence purchases, signed before 2011 too.
        defence=spec["agency"] in DEFENCE_AGENCIES,
    )


# The 2011 signings walked through the pipeline (domain.md §12). A defence purchase is one
# of the defence ministry's; its LOA is the US government contract, so the agreement is due
# 6 months after it (UH-60M: LOA 2010-12-28, due 2011-06-28, signed 2011-02-18).
PIPELINE_FROM_YEAR = 2011
DEFENCE_AGENCIES = ("mnd_armaments_bureau",)
# NT$ per US$ for the ratio of an NT$ contract carrying US$ points (the office's round rate).
TWD_PER_USD = D("30")


def _pipeline(procurement: Procurement, spec: dict, standards: list[dict], actor) -> None:
    """Assessment, specification, team, negotiation and commitment before the signing."""
    if procurement.stage != ProcurementStage.PLANNING:
        return
    defence = spec["agency"] in DEFENCE_AGENCIES
    contract = spec["contract"]
    services.procurement_update(
        procurement=procurement,
        actor=actor,
        defence=defence,
        icp_use=CaseUse.DIRECT_DEFENCE if defence else CaseUse.INDUSTRY,
    )
    first_plan = (spec.get("plan") or [{"title": spec["title_zh"]}])[0]["title"]
    pipeline_services.assessment_add(
        procurement=procurement,
        item=first_plan,
        result=AssessmentResult.BUILDABLE_THROUGH_ICP,
        actor=actor,
    )
    pipeline_services.procurement_advance(procurement=procurement, action="assess", actor=actor)
    value = D(contract["value"])
    if contract["currency"] == "TWD":
        value = value / TWD_PER_USD
    ratio = min((D(spec["obligation"]) / value).quantize(D("0.0001")), D("1")) or D("0.0001")
    pipeline_services.procurement_specify(
        procurement=procurement,
        icp_ratio_min=ratio,
        ratio_exemption="額度依個案協商，經推動小組同意低於百分之四十" if defence else "",
        standards=[
            {"mode": s["mode"], "min_multiplier": D(s["min"]), "max_multiplier": D(s["max"])}
            for s in standards
        ],
        issued_on=contract["signed_on"],
        schedule="協議書簽訂後三個月內辦理招商說明會",
        actor=actor,
    )
    pipeline_services.negotiation_member_add(
        procurement=procurement,
        name="國防部整合評估司代表" if defence else "工業局工合小組組長",
        ministry=Ministry.MND if defence else Ministry.MOEA,
        unit="國防部" if defence else "經濟部工業局",
        leader=True,
        actor=actor,
    )
    pipeline_services.negotiation_member_add(
        procurement=procurement,
        name="工業局工合小組代表",
        ministry=Ministry.MOEA,
        unit="經濟部工業局",
        actor=actor,
    )
    pipeline_services.procurement_advance(
        procurement=procurement, action="start_negotiation", actor=actor
    )
    # The office's log of 2011 names this negotiation (office.yaml, ``pipeline``).
    logged = next(
        (
            row
            for row in load("office")["activities"]["negotiation"]
            if row.get("pipeline") == spec["number"]
        ),
        None,
    )
    pipeline_services.negotiation_meeting_record(
        procurement=procurement,
        held_on=logged["date"] if logged else min(spec["signed_on"], contract["signed_on"]),
        counterpart=logged["counterpart"] if logged else party(spec["contractor"]).name_zh,
        notes=logged["title"] if logged else "工業合作額度、合作模式及乘數標準協商",
        actor=actor,
    )
    pipeline_services.procurement_advance(
        procurement=procurement,
        action="commit",
        # For a defence purchase the LOA came first: the agreement is due 6 months after it.
        loa_signed_on=contract["signed_on"] if defence else None,
        actor=actor,
    )


def _post_ledger(agreement: Agreement, ledger: list[dict], actor, notes_en: dict[str, str]) -> None:
    for row in ledger:
        common = {
            "agreement": agreement,
            "amount": D(row["amount"]),
            "effective_on": row["effective_on"],
            "actor": actor,
            "note": row["note"],
            "note_en": notes_en.get(row["note"], ""),
        }
        if row["kind"] == EntryKind.RETENTION:
            services.credit_retain(**common)
        elif row["kind"] == EntryKind.BANK_DRAW:
            services.credit_bank_draw(**common)
        else:
            POST_WITH_USE[row["kind"]](**common, use=row["use"])


def seed() -> list[str]:
    actor = office()
    data = load("agreements")
    for bank in data["banks"]:
        contractor = party(bank["contractor"])
        if not CreditBank.objects.filter(contractor=contractor, currency=bank["currency"]).exists():
            services.credit_bank_open(
                contractor=contractor,
                currency=bank["currency"],
                opening_balance=D(bank["opening"]),
                opening_as_of=bank["as_of"],
                actor=actor,
                note=bank["note"],
            )
    created = 0
    for spec in data["agreements"]:
        if Agreement.objects.filter(number=spec["number"]).exists():
            continue
        ratio = spec.get("defence_ratio_min")
        procurement = _procurement(spec, actor)
        if spec["signed_on"].year >= PIPELINE_FROM_YEAR:
            _pipeline(procurement, spec, data["standards"], actor)
        agreement = services.agreement_create(
            actor=actor,
            number=spec["number"],
            procurement=procurement,
            contractor=party(spec["contractor"]),
            currency=spec["currency"],
            obligation=D(spec["obligation"]),
            signed_on=spec["signed_on"],
            execution_ends_on=spec["ends_on"],
            defence_ratio_min=D(ratio) if ratio else None,
            status=spec.get("status", AgreementStatus.IN_EXECUTION),
        )
        created += 1
        for standard in data["standards"]:
            if not MultiplierStandard.objects.filter(
                agreement=agreement, mode=standard["mode"]
            ).exists():
                services.multiplier_standard_set(
                    agreement=agreement,
                    mode=standard["mode"],
                    min_multiplier=D(standard["min"]),
                    max_multiplier=D(standard["max"]),
                    effective_from=spec["signed_on"],
                    actor=actor,
                )
        for item in spec.get("plan", []):
            if not PlanItem.objects.filter(agreement=agreement, title=item["title"]).exists():
                services.plan_item_add(
                    agreement=agreement, mode=item["mode"], title=item["title"], actor=actor
                )
        for briefing in spec.get("briefings", []):
            if not Briefing.objects.filter(
                agreement=agreement, held_on=briefing["held_on"]
            ).exists():
                services.briefing_record(
                    agreement=agreement,
                    held_on=briefing["held_on"],
                    title=briefing["title"],
                    actor=actor,
                )
        _post_ledger(agreement, spec.get("ledger", []), actor, data.get("ledger_notes_en", {}))
    return [
        f"Agreements: {Agreement.objects.count()} ({created} new), "
        f"ledger entries: {CreditEntry.objects.count()}."
    ]
