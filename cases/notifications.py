"""E-mails about cases, each in the recipient's language (bilingual templates)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from icp_portal.lib.mail import notify
from organizations.choices import OFFICE_GROUP


def _contractor_people(case):
    return get_user_model().objects.filter(
        membership__organization_id=case.agreement.contractor_id, is_active=True
    )


def _office_people():
    return get_user_model().objects.filter(groups__name=OFFICE_GROUP, is_active=True)


def _context(case, **extra):
    return {"case": case, "case_path": reverse("case_detail", args=[case.pk]), **extra}


def case_received(case) -> None:
    """To the contractor and the office: the case was received."""
    notify(_contractor_people(case), "case_received", _context(case))
    notify(_office_people(), "case_received", _context(case))


def supplement_requested(case) -> None:
    notify(_contractor_people(case), "supplement_requested", _context(case))


def decision_made(case, decision) -> None:
    notify(_contractor_people(case), "decision_made", _context(case, decision=decision))


def progress_report_reminder(case, year: int, quarter: int, due_on, overdue: bool) -> None:
    context = _context(case, year=year, quarter=quarter, due_on=due_on, overdue=overdue)
    notify(_contractor_people(case), "progress_report_due", context)
    if overdue:
        notify(_office_people(), "progress_report_due", context)


def outcome_revisit_due(case, stage, due_on) -> None:
    """To the office: an actually approved case's outcomes are due for their revisit."""
    from cases.choices import OutcomeStage

    context = _context(case, stage=OutcomeStage(stage).label, due_on=due_on)
    notify(_office_people(), "outcome_revisit_due", context)
