"""Procurements, agreements and their ledgers around the 2011 program year
(``agreements.yaml``), through the agreements services.

Idempotent: an agreement is created (and its ledger posted) only when its number is new.
"""

from __future__ import annotations

from agreements import services
from agreements.choices import AgreementStatus, EntryKind
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
        agreement = services.agreement_create(
            actor=actor,
            number=spec["number"],
            procurement=_procurement(spec, actor),
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
