"""Links between records, both ways (issue #14): agreement ↔ cases ↔ bills ↔ meetings ↔
organization ↔ ledger entries ↔ demand items. Every list here is read through the
models' ``visible_to(user)``, so a page never offers a link that would be 404 for its
reader. The lower apps' templates ask through ``reports.templatetags.link_tags`` (reports
reads every app; none imports reports)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import DecimalField, Model, OuterRef, QuerySet, Subquery, Sum
from django.template import Variable, VariableDoesNotExist

from agreements.models import Agreement, Procurement
from cases.models import Activity, Case
from committee.models import Meeting
from demand_items.models import DemandItem
from feedback.choices import BillStatus
from feedback.models import Bill
from organizations.choices import OrganizationKind
from organizations.models import Organization

# The kinds of record a template may ask about, by the name it uses.
MODELS: dict[str, type[Model]] = {
    "agreement": Agreement,
    "procurement": Procurement,
    "case": Case,
    "meeting": Meeting,
    "demand_item": DemandItem,
    "bill": Bill,
    "organization": Organization,
}
# How many related rows an organization's page lists per kind before "all N →".
ORGANIZATION_ROWS = 20


def _ids_at(row, path: str) -> Iterable[int]:
    """The ids found at ``path`` of ``row`` ("meeting_id", "1.case_id", "cases.all"):
    an id, a record, or several of either."""
    try:
        value = Variable(path).resolve(row) if path else row
    except VariableDoesNotExist:
        return []
    if value is None or value == "":
        return []
    if isinstance(value, Model):
        return [value.pk]
    if isinstance(value, int):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, str):
        return [item.pk if isinstance(item, Model) else int(item) for item in value]
    return [int(value)]


def visible_ids(*, user, kind: str, rows, paths: Iterable[str] = ("pk",)) -> frozenset[int]:
    """Of the ids at each of ``paths`` of each row (or of one record), those of records
    of ``kind`` the user may open: one query whatever the number of rows."""
    if rows is None:
        return frozenset()
    if isinstance(rows, Model):
        rows = [rows]
    ids = {pk for row in rows for path in paths for pk in _ids_at(row, path)}
    if not ids:
        return frozenset()
    model = MODELS[kind]
    return frozenset(
        model.objects.visible_to(user)  # type: ignore[attr-defined]
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )


def _credits(name: str) -> Subquery:
    """A case's total of one credits column over its activities, in the list's query."""
    return Subquery(
        Activity.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(total=Sum(name))
        .values("total"),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


def with_credits(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases with their requested, pre-approved and actual credits (no per-row sums)."""
    return cases.annotate(
        credits_requested=_credits("requested_credits"),
        credits_pre_approved=_credits("pre_approved_credits"),
        credits_actual=_credits("actual_credits"),
    )


def agreement_cases(*, agreement: Agreement, user) -> list[Case]:
    """The agreement's cases the user may see, oldest first, with their credits."""
    return list(
        with_credits(Case.objects.visible_to(user).filter(agreement=agreement)).order_by(
            "created_at", "id"
        )
    )


def case_bills(*, case: Case, user) -> list[Bill]:
    """The feedback-fee bills of the case the user may see (staff: all; a recipient its own)."""
    return list(
        Bill.objects.visible_to(user)
        .filter(case=case)
        .select_related("recipient")
        .order_by("issued_on", "id")
    )


def organization_records(*, organization: Organization, user) -> dict:
    """What links to the organization, as far as the user may see: a contractor's (or an
    agency's) agreements and cases, a recipient's cases and bills, a proposing unit's
    demand items. Each list is cut at ``ORGANIZATION_ROWS`` with its full count."""
    kind = organization.kind
    agreements = Agreement.objects.none()
    cases = Case.objects.none()
    bills = Bill.objects.none()
    items = DemandItem.objects.none()
    if kind == OrganizationKind.FOREIGN_CONTRACTOR:
        agreements = Agreement.objects.visible_to(user).filter(contractor=organization)
        cases = Case.objects.visible_to(user).filter(agreement__contractor=organization)
    elif kind == OrganizationKind.PROCURING_AGENCY:
        agreements = Agreement.objects.visible_to(user).filter(procurement__agency=organization)
        cases = Case.objects.visible_to(user).filter(agreement__procurement__agency=organization)
    elif kind == OrganizationKind.DOMESTIC_RECIPIENT:
        cases = (
            Case.objects.visible_to(user)
            .filter(pk__in=Activity.objects.filter(recipient=organization).values("case_id"))
            .distinct()
        )
        bills = Bill.objects.visible_to(user).filter(recipient=organization)
    elif kind == OrganizationKind.PROPOSING_UNIT:
        items = DemandItem.objects.visible_to(user).filter(proposer=organization)
    overdue = bills.filter(status=BillStatus.OVERDUE)
    return {
        "agreements": _cut(
            agreements.select_related("procurement").order_by("-signed_on", "number")
        ),
        "cases": _cut(cases.select_related("agreement").order_by("-created_at", "-id")),
        "bills": _cut(bills.select_related("case").order_by("-issued_on", "-id")),
        "overdue_bills": overdue.count() if kind == OrganizationKind.DOMESTIC_RECIPIENT else 0,
        "demand_items": _cut(items.select_related("round").order_by("-id")),
    }


def _cut(queryset: QuerySet) -> dict:
    """The first rows of a list and how many there are in all (two queries, or none)."""
    rows = list(queryset[:ORGANIZATION_ROWS])
    total = len(rows) if len(rows) < ORGANIZATION_ROWS else queryset.count()
    return {"rows": rows, "total": total, "more": total > len(rows)}
