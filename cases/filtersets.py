"""Filters of cases, shared by the API and the work queue."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.choices import CaseUse, Mode
from cases.choices import CaseStatus
from cases.models import Case
from organizations.choices import Field, OrganizationKind
from organizations.models import Organization


class CaseFilterSet(django_filters.FilterSet):
    agreement = django_filters.NumberFilter(label=_("Agreement"), field_name="agreement_id")
    contractor = django_filters.ModelChoiceFilter(
        label=_("Contractor"),
        field_name="agreement__contractor",
        queryset=Organization.objects.filter(kind=OrganizationKind.FOREIGN_CONTRACTOR),
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    use = django_filters.ChoiceFilter(label=_("Use"), choices=CaseUse.choices)
    field = django_filters.ChoiceFilter(label=_("Field"), choices=Field.choices)
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), choices=Mode.choices, field_name="activities__mode", distinct=True
    )
    recipient = django_filters.NumberFilter(
        label=_("Recipient"), field_name="activities__recipient_id", distinct=True
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")

    class Meta:
        model = Case
        fields = ["agreement", "contractor", "status", "use", "field", "mode", "recipient", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(title_zh__icontains=value) | Q(title_en__icontains=value)
        )
