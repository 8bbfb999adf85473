"""Filters of parties and reviewers, shared by the API and the HTML lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.choices import Field, OrganizationKind, ReviewerKind
from organizations.models import Notification, Organization, ReviewerProfile


class OrganizationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganizationKind.choices)
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")

    class Meta:
        model = Organization
        fields = ["kind", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value))


class ReviewerFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReviewerKind.choices)
    field = django_filters.ChoiceFilter(
        label=_("Field"), choices=Field.choices, method="filter_field"
    )
    q = django_filters.CharFilter(label=_("Name"), method="filter_q")

    class Meta:
        model = ReviewerProfile
        fields = ["kind", "field", "q", "active"]

    def filter_field(self, queryset, name, value):
        # JSON containment is not portable to SQLite; match the quoted code in the text.
        return queryset.filter(fields__icontains=f'"{value}"')

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(user__name__icontains=value)
            | Q(user__username__icontains=value)
            | Q(affiliation__icontains=value)
        )


class NotificationFilterSet(django_filters.FilterSet):
    """``?unread=true``: only the notices not read yet (``false``: only those read)."""

    unread = django_filters.BooleanFilter(
        label=_("Unread"), field_name="read_at", lookup_expr="isnull"
    )

    class Meta:
        model = Notification
        fields = ["unread"]
