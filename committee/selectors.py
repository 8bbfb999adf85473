"""Reads of meetings, the same for the pages and the API: visibility first (staff all, a
reviewer the meetings they sit on), then the shared filters; a reviewer sees only their
own opinions and conflict declarations."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from committee.filtersets import MeetingFilterSet
from committee.models import AgendaItem, ConflictDeclaration, Decision, Meeting, Opinion


def meeting_list(*, user, filters: dict | None = None) -> QuerySet[Meeting]:
    """Visible meetings through the shared filters, newest first, with their counts."""
    queryset = (
        Meeting.objects.visible_to(user)
        .annotate(
            item_count=Count("agenda", distinct=True),
            member_count=Count("members", distinct=True),
        )
        .prefetch_related("members")
        .order_by("-held_on", "-id")
    )
    if filters is None:
        return queryset
    return MeetingFilterSet(filters, queryset=queryset).qs


def meeting_agenda(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The meeting's agenda (議程), in the order the items were added."""
    return meeting.agenda.select_related("case", "demand_item", "decision").order_by("id")


def meeting_decisions(*, meeting: Meeting) -> QuerySet[Decision]:
    """The decisions of the meeting's minutes (會議紀錄), in agenda order."""
    return Decision.objects.filter(agenda_item__meeting=meeting).order_by("agenda_item_id")


def meeting_opinions(*, meeting: Meeting, user) -> QuerySet[Opinion]:
    """The opinions on the meeting's cases this user may read (staff all, a member theirs)."""
    return meeting.opinions.visible_to(user).select_related("reviewer__user").order_by("id")


def meeting_conflicts(*, meeting: Meeting, user) -> QuerySet[ConflictDeclaration]:
    """The conflict declarations this user may read (staff all, a member their own)."""
    return meeting.conflicts.visible_to(user).select_related("reviewer__user").order_by("id")
