"""The portal's global search (issue #14): numbers, titles and names in both languages.

Case-insensitive ``icontains`` over a handful of columns of seven kinds of record, each
read through its ``visible_to(user)``: the office finds everything, everyone else only
what they may open (a search never reveals another tenant's record). At this scale
(thousands of rows) a sequential scan per kind is a few milliseconds; each kind is cut at
``PER_KIND`` rows with its full count. An exact number (agreement, case or bill) comes
first in its group and is flagged, so the page can go straight to a lone exact match."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from cases.models import Case
from committee.models import Meeting
from demand_items.models import DemandItem
from feedback.models import Bill
from organizations.models import Organization

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_KIND = 20


@dataclass
class Hit:
    """One record found: what to show and where it opens."""

    kind: str
    pk: int
    number: str
    title: str
    url: str
    exact: bool = False


@dataclass
class Group:
    """The records of one kind found, the first ``PER_KIND`` of ``count``."""

    kind: str
    label: str
    count: int
    hits: list[Hit] = field(default_factory=list)


@dataclass
class Results:
    query: str
    groups: list[Group]
    too_short: bool = False

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def exact(self) -> list[Hit]:
        return [hit for group in self.groups for hit in group.hits if hit.exact]


def clean_query(raw: str | None) -> str:
    """The query as searched: spaces trimmed and collapsed, cut at ``MAX_LENGTH``, no
    NUL (PostgreSQL refuses it in text)."""
    text = " ".join((raw or "").replace("\x00", "").split())
    return text[:MAX_LENGTH].strip()


def _numbered(queryset: QuerySet, q: str, number_field: str, text: Q) -> QuerySet:
    """Rows matching ``text`` or the number, the exact number first."""
    exact = Q(**{f"{number_field}__iexact": q})
    return (
        queryset.filter(text | Q(**{f"{number_field}__icontains": q}))
        .annotate(is_exact=ExpressionWrapper(exact, output_field=BooleanField()))
        .order_by("-is_exact", number_field)
    )


def _title_q(q: str, *fields: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": q})
    return condition


def _group(kind, label, queryset: QuerySet, hit) -> Group:
    rows = list(queryset[:PER_KIND])
    count = len(rows) if len(rows) < PER_KIND else queryset.count()
    return Group(kind=kind, label=str(label), count=count, hits=[hit(row) for row in rows])


def _agreements(user, q: str) -> Group:
    rows = _numbered(
        Agreement.objects.visible_to(user).select_related("procurement", "contractor"),
        q,
        "number",
        _title_q(q, "procurement__title_zh", "procurement__title_en"),
    )
    return _group(
        "agreement",
        _("Agreements"),
        rows,
        lambda a: Hit(
            "agreement",
            a.pk,
            a.number,
            f"{a.procurement.title} · {a.contractor.name}",
            reverse("agreement_detail", args=[a.pk]),
            a.number.lower() == q.lower(),
        ),
    )


def _cases(user, q: str) -> Group:
    rows = _numbered(
        Case.objects.visible_to(user), q, "number", _title_q(q, "title_zh", "title_en")
    )
    return _group(
        "case",
        _("Cases"),
        rows,
        lambda c: Hit(
            "case",
            c.pk,
            c.number,
            c.title,
            reverse("case_detail", args=[c.pk]),
            c.number.lower() == q.lower(),
        ),
    )


def _bills(user, q: str) -> Group:
    rows = _numbered(
        Bill.objects.visible_to(user).select_related("recipient"),
        q,
        "number",
        _title_q(q, "case__number"),
    )
    return _group(
        "bill",
        _("Feedback-fee bills"),
        rows,
        lambda b: Hit(
            "bill",
            b.pk,
            b.number,
            b.recipient.name,
            reverse("bill_detail", args=[b.pk]),
            b.number.lower() == q.lower(),
        ),
    )


def _organizations(user, q: str) -> Group:
    rows = (
        Organization.objects.visible_to(user)
        .filter(_title_q(q, "name_zh", "name_en"))
        .order_by("name_en", "id")
    )
    return _group(
        "organization",
        _("Organizations"),
        rows,
        lambda o: Hit(
            "organization",
            o.pk,
            "",
            o.name,
            reverse("organization_detail", args=[o.pk]),
        ),
    )


def _demand_items(user, q: str) -> Group:
    rows = (
        DemandItem.objects.visible_to(user)
        .filter(_title_q(q, "title_zh", "title_en"))
        .select_related("round")
        .order_by("-round__year", "id")
    )
    return _group(
        "demand_item",
        _("Demand items"),
        rows,
        lambda d: Hit(
            "demand_item",
            d.pk,
            str(d.round),
            d.title,
            reverse("demand_item_detail", args=[d.pk]),
        ),
    )


def _meetings(user, q: str) -> Group:
    condition = _title_q(q, "title")
    # "2011", "3" or "2011 3" (a year and the meeting's number within it).
    parts = q.replace("#", " ").split()
    if parts and all(part.isdigit() and len(part) <= 4 for part in parts):
        numbers = [int(part) for part in parts]
        if len(numbers) == 1:
            condition |= Q(year=numbers[0]) | Q(number=numbers[0])
        elif len(numbers) == 2:
            condition |= Q(year=numbers[0], number=numbers[1])
    rows = Meeting.objects.visible_to(user).filter(condition).order_by("-held_on", "-id")
    return _group(
        "meeting",
        _("Meetings"),
        rows,
        lambda m: Hit(
            "meeting",
            m.pk,
            str(m),
            m.title or m.held_on.isoformat(),
            reverse("meeting_detail", args=[m.pk]),
        ),
    )


SEARCHES = (_cases, _agreements, _bills, _organizations, _demand_items, _meetings)


def search(*, user, query: str | None) -> Results:
    """What ``query`` finds among the records ``user`` may open, grouped by kind (kinds
    with nothing found left out). A query shorter than ``MIN_LENGTH`` searches nothing."""
    q = clean_query(query)
    if len(q) < MIN_LENGTH or not getattr(user, "is_authenticated", False):
        return Results(query=q, groups=[], too_short=len(q) < MIN_LENGTH)
    groups = [run(user, q) for run in SEARCHES]
    return Results(query=q, groups=[group for group in groups if group.count])
