"""The guarantees the contractors lodged for the demo agreements (``guarantees.yaml``),
through the agreements services: the office records each (held), and releases the two the
data say were given back (an obligation discharged, a guarantee replaced).

Idempotent: a guarantee is recorded only when its agreement has none from that issuer of
that kind and date, and released only while still held.
"""

from __future__ import annotations

from agreements import services
from agreements.choices import GuaranteeStatus
from agreements.models import Agreement, Guarantee
from demo.loader import D, load, office


def seed() -> list[str]:
    actor = office()
    added = 0
    for spec in load("guarantees")["guarantees"]:
        agreement = Agreement.objects.get(number=spec["agreement"])
        guarantee = Guarantee.objects.filter(
            agreement=agreement,
            kind=spec["kind"],
            issuer=spec["issuer"],
            valid_from=spec["valid_from"],
        ).first()
        if guarantee is None:
            guarantee = services.guarantee_add(
                agreement=agreement,
                kind=spec["kind"],
                issuer=spec["issuer"],
                amount=D(spec["amount"]),
                currency=spec["currency"],
                valid_from=spec["valid_from"],
                valid_until=spec["valid_until"],
                note=spec.get("note", ""),
                actor=actor,
            )
            added += 1
        if spec.get("released_on") and guarantee.status == GuaranteeStatus.HELD:
            services.guarantee_release(
                guarantee=guarantee, released_on=spec["released_on"], actor=actor
            )
    held = Guarantee.objects.filter(status=GuaranteeStatus.HELD).count()
    return [f"Guarantees: {Guarantee.objects.count()} ({added} new), {held} held."]
