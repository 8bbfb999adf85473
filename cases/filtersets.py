"""Filters of cases, shared by the API and the work queue."""

import django_filters
from django.db.models import Q
from django.utils import timezone
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
    # A case's own column: no join repeats a case, so no DISTINCT (with it PostgreSQL
    # sorted every case of the statuses picked, 600 ms at 100×, instead of reading the
    # first 50 from the queue's order index).
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, distinct=False
    )
    use = django_filters.ChoiceFilter(label=_("Use"), choices=CaseUse.choices)
    field = django_filters.ChoiceFilter(label=_("Field"), choices=Field.choices)
    mode = django_filters.ChoiceFilter(
        label=_("Mode"), choices=Mode.choices, field_name="activities__mode", distinct=True
    )
    recipient = django_filters.NumberFilter(
        label=_("Recipient"), field_name="activities__recipient_id", distinct=True
    )
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    reports = django_filters.ChoiceFilter(
        label=_("Progress reports"),
        choices=[("overdue", _("Overdue")), ("due", _("Due soon"))],
        method="filter_reports",
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Handled by"),
        choices=[("mine", _("Me")), ("none", _("Nobody yet"))],
        method="filter_assignee",
    )

    class Meta:
        model = Case
        fields = [
            "agreement",
            "contractor",
            "status",
            "use",
            "field",
            "mode",
            "recipient",
            "q",
            "reports",
            "assignee",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_reports(self, queryset, name, value):
        # The schedule of quarters is computed, not stored: the database counts each
        # executing case's quarters owed, and the cases owing one are kept by subquery.
        from cases.selectors import cases_owing_reports

        owing = cases_owing_reports(today=timezone.localdate(), overdue=value == "overdue")
        return queryset.filter(pk__in=owing)

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        # "mine": the cases the asking office member handles (nobody else has any).
        user = self.user or getattr(self.request, "user", None)
        user_id = getattr(user, "pk", None)
        return queryset.filter(assignee_id=user_id) if user_id else queryset.none()

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(title_zh__icontains=value) | Q(title_en__icontains=value)
        )
