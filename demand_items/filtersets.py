"""Filters of demand items, shared by the HTML lists (and the API when it comes)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from demand_items.choices import Classification, ItemStatus
from demand_items.models import CallRound, DemandItem
from organizations.choices import Field


class PublicDemandItemFilterSet(django_filters.FilterSet):
    """What anybody may filter the public catalogue by: field, defence, text."""

    field = django_filters.ChoiceFilter(label=_("Field"), choices=Field.choices)
    defence = django_filters.BooleanFilter(label=_("Defence demand"))
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = DemandItem
        fields = ["field", "defence", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title_zh__icontains=value) | Q(title_en__icontains=value))


class DemandItemFilterSet(PublicDemandItemFilterSet):
    """The portal's list: round, classification, field, defence, status, text."""

    round = django_filters.ModelChoiceFilter(
        label=_("Round"), queryset=CallRound.objects.order_by("-year", "-quarter")
    )
    classification = django_filters.ChoiceFilter(
        label=_("Classification"), choices=Classification.choices
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ItemStatus.choices)

    class Meta:
        model = DemandItem
        fields = ["round", "classification", "field", "defence", "status", "q"]
