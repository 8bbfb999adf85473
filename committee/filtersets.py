"""The filters of the meeting list, shared by the page and the API."""

import django_filters

from committee.choices import MeetingKind, MeetingStatus
from committee.models import Meeting


class MeetingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    year = django_filters.NumberFilter()

    class Meta:
        model = Meeting
        fields = ["kind", "year", "status"]
