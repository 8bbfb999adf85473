"""The quarterly progress reports due (每季進度報告), counted by the database for the office's
home and the work queue, are the ones the case page's schedule (``progress_report_status``)
shows: overdue, and due within 15 days, for every kind of case and on every kind of day."""

from datetime import date, timedelta

import pytest

from cases import selectors
from cases.models import Case, ProgressReport
from tests.factories import make_agreement
from tests.reports.test_statistics import (  # a small 2011 played through the API
    _more_of_the_same,
    agreement,
    non_profit_recipient,
    pool,
    year_2011,
)

__all__ = ["agreement", "non_profit_recipient", "pool", "year_2011"]

# (start, end, status, quarters filed): starts mid-quarter and on a quarter's first day,
# ends on a quarter's first and last day, ended before most of the days asked, not
# started yet, reports filed late, early (the quarter not over) or for a quarter outside
# the schedule (the dates changed since), and cases that owe nothing (not executing).
CASES = [
    (date(2011, 5, 20), date(2013, 5, 19), "in_execution", []),
    (date(2011, 4, 1), date(2012, 3, 31), "pre_approved", [(2011, 2), (2011, 4)]),
    (date(2011, 1, 15), date(2012, 4, 1), "in_execution", [(2011, 1), (2011, 2), (2011, 3)]),
    (date(2010, 11, 3), date(2011, 9, 30), "in_execution", [(2010, 4), (2011, 2), (2011, 3)]),
    (date(2011, 7, 1), date(2014, 6, 30), "in_execution", [(2011, 3), (2011, 4), (2012, 1)]),
    (date(2012, 2, 29), date(2013, 12, 31), "pre_approved", [(2012, 1), (2012, 2)]),
    (date(2012, 12, 31), date(2013, 1, 1), "in_execution", []),
    # A report for a quarter before the start and one after the end (both ignored).
    (date(2011, 8, 8), date(2012, 5, 5), "in_execution", [(2011, 2), (2011, 3), (2012, 3)]),
    (date(2011, 2, 1), date(2012, 2, 1), "in_execution", [(2011, 1), (2010, 4), (2012, 4)]),
    (date(2011, 3, 1), date(2013, 3, 1), "draft", []),
    (date(2011, 3, 1), date(2013, 3, 1), "closed", [(2011, 1)]),
]


def _days() -> list[date]:
    """Around every due date of 2011–2013 (the 15th after a quarter ends): 16, 15 and 14
    days before (the edge of "coming"), the day before, the day itself, the day after; and
    a quarter's first and last day."""
    days = []
    for year in (2011, 2012, 2013):
        for month in (1, 4, 7, 10):
            due = date(year, month, 15)
            days += [due + timedelta(days=n) for n in (-16, -15, -14, -1, 0, 1)]
            days += [date(year, month, 1), date(year, month, 1) - timedelta(days=1)]
    return days


@pytest.fixture
def cases(office_user, contractor_a):
    agreement = make_agreement(contractor=contractor_a, actor=office_user)
    made = []
    for n, (starts, ends, status, filed) in enumerate(CASES):
        case = Case.objects.create(
            number=f"RD-{n:02d}",
            agreement=agreement,
            title_zh=f"進度{n}",
            title_en=f"Progress {n}",
            use="industry",
            field="rail",
            status=status,
            starts_on=starts,
            ends_on=ends,
            created_by=office_user,
        )
        for year, quarter in filed:
            ProgressReport.objects.create(
                case=case,
                year=year,
                quarter=quarter,
                progress="…",
                percent_complete=10,
                filed_by=office_user,
            )
        made.append(case)
    return made


def _walked(case: Case, today: date) -> tuple[int, int]:
    """Overdue and coming, as the case page's schedule has them."""
    rows = [
        row
        for row in selectors.progress_report_status(case=case, today=today)
        if row["report"] is None
    ]
    overdue = sum(1 for row in rows if row["overdue"])
    coming = sum(
        1
        for row in rows
        if not row["overdue"] and (row["due_on"] - today).days <= selectors.REPORT_SOON_DAYS
    )
    return overdue, coming


def test_the_database_counts_the_reports_the_schedule_shows(cases):
    executing = [case for case in cases if case.status in selectors.EXECUTING]
    for today in _days():
        counted = {
            case.pk: (case.reports_overdue, case.reports_coming)
            for case in selectors.reports_owed(cases=Case.objects.all(), today=today)
        }
        walked = {case.pk: _walked(case, today) for case in executing}
        assert counted == walked, today
        overdue, coming = selectors.reports_due(cases=Case.objects.all(), today=today)
        assert selectors.reports_due_counts(cases=Case.objects.all(), today=today) == {
            "overdue": len(overdue),
            "overdue_cases": len({line["case"].pk for line in overdue}),
            "coming": len(coming),
            "coming_cases": len({line["case"].pk for line in coming}),
        }, today
        for lines, is_overdue in ((overdue, True), (coming, False)):
            owing = Case.objects.filter(
                pk__in=selectors.cases_owing_reports(today=today, overdue=is_overdue)
            )
            expected = {line["case"].pk for line in lines}
            assert set(owing.values_list("pk", flat=True)) == expected, today


def test_some_days_have_reports_both_overdue_and_coming(cases):
    # The grid above is not vacuous: on the 5th of October 2011 the third quarter's
    # reports are coming (due the 15th) and earlier ones overdue.
    counts = selectors.reports_due_counts(cases=Case.objects.all(), today=date(2011, 10, 5))
    assert counts["overdue"] > 0 and counts["coming"] > 0


def test_the_work_queue_filtered_by_reports_costs_the_same_queries_as_cases_grow(
    year_2011, client, office_user, django_assert_max_num_queries
):
    client.force_login(office_user)
    with django_assert_max_num_queries(40) as few:
        listed = client.get("/cases/?reports=overdue").content.decode()
    energy = Case.objects.get(title_en="energy case")
    assert energy.number in listed
    _more_of_the_same(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        listed = client.get("/cases/?reports=overdue").content.decode()
    copies = Case.objects.filter(number__startswith=f"{energy.number}-")
    assert copies.count() == 10
    assert all(copy.number in listed for copy in copies)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/cases/?reports=due").status_code == 200
