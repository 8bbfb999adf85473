"""The statistics object of api.md "Reports and statistics"."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from icp_portal.lib.models import PROGRAM_FIRST_DAY, PROGRAM_LAST_DAY, program_date


class StatisticsQuerySerializer(serializers.Serializer):
    """``?year=YYYY``, or ``?start=&end=`` (a range of days), and ``agency`` (staff)."""

    year = serializers.IntegerField(
        min_value=PROGRAM_FIRST_DAY.year, max_value=PROGRAM_LAST_DAY.year, required=False
    )
    start = serializers.DateField(required=False, validators=[program_date])
    end = serializers.DateField(required=False, validators=[program_date])
    agency = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)

    def validate(self, attrs):
        ranged = "start" in attrs or "end" in attrs
        if ranged and not ("start" in attrs and "end" in attrs):
            raise serializers.ValidationError(_("Give both the start and the end, or a year."))
        if ranged and "year" in attrs:
            raise serializers.ValidationError(_("Give a year or a range, not both."))
        if ranged and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": _("The range ends before it starts.")})
        return attrs


class CurrencyAmountsSerializer(serializers.Serializer):
    USD_PTS = serializers.DecimalField(max_digits=20, decimal_places=2)
    TWD_PTS = serializers.DecimalField(max_digits=20, decimal_places=2)


class CountCreditsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    credits = CurrencyAmountsSerializer()


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class SignedSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    obligation = CurrencyAmountsSerializer()


class BreakdownSerializer(serializers.Serializer):
    key = serializers.CharField(source="*", read_only=True)
    label = serializers.CharField()
    currency = serializers.CharField()
    credits = serializers.DecimalField(max_digits=20, decimal_places=2)
    share = serializers.CharField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for key in ("mode", "field", "agency", "use"):
            if key in instance:
                data["key"] = instance[key]
        return data


class DefenceShareSerializer(serializers.Serializer):
    value = serializers.CharField()
    by_currency = serializers.DictField(child=serializers.CharField())
    minimum = serializers.CharField()
    target = serializers.CharField()
    meets_minimum = serializers.BooleanField()
    meets_target = serializers.BooleanField()


class FeesSerializer(serializers.Serializer):
    billed_twd = serializers.DecimalField(max_digits=20, decimal_places=0)
    collected_twd = serializers.DecimalField(max_digits=20, decimal_places=0)
    overdue_twd = serializers.DecimalField(max_digits=20, decimal_places=0)


class DemandItemCountsSerializer(serializers.Serializer):
    filed = serializers.IntegerField()
    priority = serializers.IntegerField()
    general = serializers.IntegerField()
    held = serializers.IntegerField()
    excluded = serializers.IntegerField()
    published = serializers.IntegerField()


class OutcomeTotalsSerializer(serializers.Serializer):
    technologies = serializers.IntegerField()
    investment_twd = serializers.DecimalField(max_digits=20, decimal_places=0)
    orders_twd = serializers.DecimalField(max_digits=20, decimal_places=0)
    added_output_twd = serializers.DecimalField(max_digits=20, decimal_places=0)
    people_trained = serializers.IntegerField()
    jobs = serializers.IntegerField()
    cases = serializers.IntegerField()


class KpiSerializer(serializers.Serializer):
    kpi = serializers.CharField()
    label = serializers.CharField()
    target = serializers.DecimalField(max_digits=20, decimal_places=0)
    done = serializers.DecimalField(max_digits=20, decimal_places=0)
    progress = serializers.CharField()


class MeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    held_on = serializers.DateField()


class StatisticsSerializer(serializers.Serializer):
    """The program's figures for a year or a range (api.md ``/statistics/``)."""

    year = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    agency = serializers.IntegerField(allow_null=True)
    agreements_signed = SignedSerializer()
    pre_approved = CountCreditsSerializer()
    rejected = CountSerializer()
    renegotiate = CountSerializer()
    actually_approved = CountCreditsSerializer()
    in_execution = CountCreditsSerializer()
    by_mode = BreakdownSerializer(many=True)
    by_field = BreakdownSerializer(many=True)
    by_agency = BreakdownSerializer(many=True)
    by_use = BreakdownSerializer(many=True)
    defence_share = DefenceShareSerializer()
    fees = FeesSerializer(required=False)
    demand_items = DemandItemCountsSerializer()
    outcomes = OutcomeTotalsSerializer()
    kpis = KpiSerializer(many=True)
    meetings = MeetingRefSerializer(many=True)


class ReportJobSerializer(serializers.ModelSerializer):
    """A report job (api.md ``/reports/``); POST ``kind``, ``format`` and the kind's
    parameters (``year``; ``meeting``; ``agreement`` or ``contractor`` with ``as_of``)."""

    parameters = serializers.DictField(required=False, default=dict)

    class Meta:
        from reports.models import ReportJob

        model = ReportJob
        fields = [
            "id",
            "kind",
            "format",
            "parameters",
            "status",
            "progress",
            "pages",
            "size_bytes",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]
        read_only_fields = [
            "status",
            "progress",
            "pages",
            "size_bytes",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]


class OfficeActivitySerializer(serializers.ModelSerializer):
    class Meta:
        from reports.models import OfficeActivity

        model = OfficeActivity
        fields = ["id", "kind", "held_on", "title", "counterpart", "firms", "people", "note"]


class SearchHitSerializer(serializers.Serializer):
    """One record found by the search: its kind, id, number (if it has one), title and page."""

    kind = serializers.CharField()
    id = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    exact = serializers.BooleanField()


class SearchGroupSerializer(serializers.Serializer):
    """The records of one kind found: the first ones and how many in all."""

    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    results = SearchHitSerializer(many=True, source="hits")


class SearchResultsSerializer(serializers.Serializer):
    """``GET /search/?q=``: the query as searched, grouped results, and ``too_short``."""

    query = serializers.CharField(allow_blank=True)
    too_short = serializers.BooleanField()
    total = serializers.IntegerField()
    groups = SearchGroupSerializer(many=True)
