"""Reads the demo's data files (``demo/data/<name>.yaml``) and names what they name.

The files say *what* happened (parties, agreements, cases, meetings, decisions, rounds,
items); the step modules (``parties``, ``agreements``, ``feedback``, ``demand_items``,
``replay``) play it through the services; ``seed()`` runs the steps in the apps' order,
in one transaction, with notifications silenced (the last step puts a few recent notices
in the demo people's inboxes, e-mailing nobody).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from icp_portal.lib.mail import silenced
from organizations.models import Organization, User

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> Any:
    """The parsed data file ``demo/data/<name>.yaml`` (dates as ``date``, amounts as the
    strings they are written as: read them with ``D``)."""
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def D(value: str | int) -> Decimal:
    """An amount or multiplier of the data files (written as strings, never floats)."""
    return Decimal(str(value))


def at(day: date, hour: int = 10) -> datetime:
    """A moment of a historical day, in the portal's time zone (office hours)."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


@cache
def _parties() -> dict[str, dict]:
    return {party["key"]: party for party in load("parties")}


def party_spec(key: str) -> dict:
    """A party of ``parties.yaml`` by its key."""
    return _parties()[key]


def party(key: str) -> Organization:
    """The organization a data file names by its ``parties.yaml`` key."""
    spec = party_spec(key)
    return Organization.objects.get(kind=spec["kind"], name_zh=spec["name_zh"])


def office() -> User:
    """The office's demo member (工合小組): the office enters what the office enters."""
    return User.objects.get(username=load("people")["office"]["username"])


def steps() -> list[Callable[[], list[str]]]:
    """The seed steps in the apps' dependency order (each idempotent)."""
    from demo import (
        agreements,
        demand_items,
        feedback,
        guarantees,
        inbox,
        outcomes,
        parties,
        replay,
        steering,
    )

    return [
        parties.seed,
        agreements.seed,
        guarantees.seed,  # lodged at the signing, before the 2010–2011 replay
        feedback.seed,
        demand_items.seed,
        replay.seed,
        steering.seed,
        outcomes.seed,
        outcomes.seed_office,
        outcomes.seed_assignments,
        inbox.seed,  # last: a few recent notices, into the inboxes only
    ]


def seed() -> list[str]:
    """Load everything (idempotent); returns the lines ``seed_demo`` prints."""
    lines: list[str] = []
    with transaction.atomic(), silenced():
        for step in steps():
            lines += step()
    return lines
