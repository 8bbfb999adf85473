"""A meeting's agenda as one aligned table with its totals (issue 14): every case item a
row, and the credits summed per kind of item and per currency — never NT$ points added to
USD points; and a meeting whose day has passed is held without anyone pressing a button."""

import re
from datetime import date
from decimal import Decimal

from agreements.models import Agreement
from cases.models import Activity, Case
from committee import services
from committee.choices import MeetingStatus
from committee.models import AgendaItem, Meeting
from organizations.models import AuditEvent
from organizations.services import system_user
from tests.reports.test_statistics import (  # a small 2011 played through the API
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["agreement", "non_profit_recipient", "pool", "year_2011"]


def _cells(html: str, testid: str) -> list[list[str]]:
    """The rows of one table section, each a list of cell texts."""
    section = html.split(f'data-testid="{testid}"', 1)[1]
    if testid == "agenda-table":
        section = section.split("<tbody>", 1)[1]
    section = section[: section.index("</tfoot>" if testid == "agenda-totals" else "</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def test_the_agenda_is_one_table_with_totals_per_kind_and_currency(year_2011, client, office_user):
    meeting = Meeting.objects.get(number=1, kind="promotion_committee")
    # One more item, of a case on the NT$-point agreement: its own total line.
    twd = Agreement.objects.get(currency="TWD_PTS")
    template = Case.objects.get(title_en="energy case")
    case = Case.objects.get(pk=template.pk)
    case.pk, case.number, case.agreement = None, "TWD-1", twd
    case.save()
    for activity in Activity.objects.filter(case=template):
        activity.pk, activity.case = None, case
        activity.save()
    AgendaItem.objects.create(meeting=meeting, kind="pre_approval", case=case)

    client.force_login(office_user)
    client.cookies["django_language"] = "en"
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    items = list(meeting.agenda.filter(case__isnull=False).select_related("case"))
    rows = _cells(html, "agenda-table")
    assert len(rows) == len(items) == 3
    assert [row[2] for row in rows] == [item.case.number for item in items]

    totals = _cells(html, "agenda-totals")
    by_unit = {row[-2]: row for row in totals}
    assert set(by_unit) == {"USD points", "TWD points"}
    usd = [item.case for item in items if item.case.agreement.currency == "USD_PTS"]
    requested = sum((c.requested_credits for c in usd), Decimal("0"))
    assert by_unit["USD points"][0] == "Pre-approval: 2 items"
    assert by_unit["USD points"][1] == _money(requested)
    assert by_unit["TWD points"][0] == "Pre-approval: 1 item"
    assert by_unit["TWD points"][1] == _money(case.requested_credits)


def test_a_meeting_whose_day_has_passed_is_held_by_the_daily_job(db):
    planned = Meeting.objects.create(
        kind="subcommittee",
        year=2011,
        number=99,
        held_on=date(2011, 12, 1),
        status=MeetingStatus.PLANNED,
    )
    ahead = Meeting.objects.create(
        kind="subcommittee",
        year=2011,
        number=100,
        held_on=date(2011, 12, 20),
        status=MeetingStatus.PLANNED,
    )
    changed = services.meetings_mark_past_held(today=date(2011, 12, 10), actor=system_user())
    assert changed == 1
    planned.refresh_from_db()
    ahead.refresh_from_db()
    assert planned.status == MeetingStatus.HELD and ahead.status == MeetingStatus.PLANNED
    event = AuditEvent.objects.get(action="meeting.held", target_id=str(planned.pk))
    assert event.from_status == "planned" and event.to_status == "held"
