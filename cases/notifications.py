"""Notices about cases (inbox and e-mail), each in the recipient's language."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from organizations.choices import OFFICE_GROUP
from organizations.notifications import notify


def _contractor_people(case):
    return get_user_model().objects.filter(
        membership__organization_id=case.agreement.contractor_id, is_active=True
    )


def _office_people():
    return get_user_model().objects.filter(groups__name=OFFICE_GROUP, is_active=True)


def _context(case, **extra):
    return {"case": case, "case_path": _path(case), **extra}


def _path(case) -> str:
    return reverse("case_detail", args=[case.pk])


def case_received(case) -> None:
    """To the contractor and the office: the case was received."""
    notify(_contractor_people(case), "case_received", _context(case), link=_path(case))
    notify(_office_people(), "case_received", _context(case), link=_path(case))


def supplement_requested(case) -> None:
    notify(_contractor_people(case), "supplement_requested", _context(case), link=_path(case))


def decision_made(case, decision) -> None:
    context = _context(case, decision=decision)
    notify(_contractor_people(case), "decision_made", context, link=_path(case))


def progress_report_reminder(case, year: int, quarter: int, due_on, overdue: bool) -> None:
    context = _context(case, year=year, quarter=quarter, due_on=due_on, overdue=overdue)
    notify(_contractor_people(case), "progress_report_due", context, link=_path(case))
    if overdue:
        notify(_office_people(), "progress_report_due", context, link=_path(case))


def outcome_revisit_due(case, stage, due_on) -> None:
    """To the office: an actually approved case's outcomes are due for their revisit."""
    from cases.choices import OutcomeStage

    context = _context(case, stage=OutcomeStage(stage).label, due_on=due_on)
    notify(_office_people(), "outcome_revisit_due", context, link=_path(case))
