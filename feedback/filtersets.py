"""Filters of bills, shared by the API and the bill list."""

import django_filters
from django.utils.translation import gettext_lazy as _

from feedback.choices import BillStatus, PenaltyStatus
from feedback.models import Bill, Penalty
from organizations.choices import OrganizationKind
from organizations.models import Organization


class BillFilterSet(django_filters.FilterSet):
    recipient = django_filters.ModelChoiceFilter(
        label=_("Recipient"),
        queryset=Organization.objects.filter(kind=OrganizationKind.DOMESTIC_RECIPIENT),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BillStatus.choices)
    issued_on_after = django_filters.DateFilter(
        label=_("Issued on or after"), field_name="issued_on", lookup_expr="gte"
    )
    issued_on_before = django_filters.DateFilter(
        label=_("Issued on or before"), field_name="issued_on", lookup_expr="lte"
    )

    class Meta:
        model = Bill
        fields = ["recipient", "status", "issued_on_after", "issued_on_before"]


class PenaltyFilterSet(django_filters.FilterSet):
    """Filters of penalties, shared by the API and the penalty list."""

    contractor = django_filters.ModelChoiceFilter(
        label=_("Contractor"),
        field_name="agreement__contractor",
        queryset=Organization.objects.filter(kind=OrganizationKind.FOREIGN_CONTRACTOR),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PenaltyStatus.choices)

    class Meta:
        model = Penalty
        fields = ["agreement", "contractor", "status"]
