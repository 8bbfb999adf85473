"""Filters of agreements, procurements and the ledger, shared by the API and the pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from agreements.choices import AgreementStatus, EntryKind, PointsCurrency
from agreements.models import Agreement, CreditEntry, Procurement
from organizations.choices import OrganizationKind
from organizations.models import Organization


class AgreementFilterSet(django_filters.FilterSet):
    contractor = django_filters.ModelChoiceFilter(
        label=_("Contractor"),
        queryset=Organization.objects.filter(kind=OrganizationKind.FOREIGN_CONTRACTOR),
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Procuring agency"),
        field_name="procurement__agency",
        queryset=Organization.objects.filter(kind=OrganizationKind.PROCURING_AGENCY),
    )
    currency = django_filters.ChoiceFilter(label=_("Currency"), choices=PointsCurrency.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AgreementStatus.choices)
    signed_on_after = django_filters.DateFilter(
        label=_("Signed on or after"), field_name="signed_on", lookup_expr="gte"
    )
    signed_on_before = django_filters.DateFilter(
        label=_("Signed on or before"), field_name="signed_on", lookup_expr="lte"
    )

    class Meta:
        model = Agreement
        fields = [
            "contractor",
            "agency",
            "currency",
            "status",
            "signed_on_after",
            "signed_on_before",
        ]


class ProcurementFilterSet(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(
        label=_("Procuring agency"),
        queryset=Organization.objects.filter(kind=OrganizationKind.PROCURING_AGENCY),
    )

    class Meta:
        model = Procurement
        fields = ["agency"]


class CreditEntryFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EntryKind.choices)
    case = django_filters.NumberFilter(label=_("Case"), field_name="case_id")

    class Meta:
        model = CreditEntry
        fields = ["kind", "case"]
