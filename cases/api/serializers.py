"""Serializers of cases (api.md "Cases"): they validate input; services write."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.models import Agreement
from cases.choices import ChecklistResult, OutcomeStage, SubcommitteeOutcome
from cases.models import (
    Activity,
    Case,
    CaseDocument,
    CaseOutcome,
    Checkpoint,
    ProgressReport,
)
from organizations.choices import OrganizationKind
from organizations.models import AuditEvent, Organization
from organizations.selectors import office_staff


class ActivitySerializer(serializers.ModelSerializer):
    recipient = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.DOMESTIC_RECIPIENT),
        error_messages={"does_not_exist": _("No domestic recipient has id {pk_value}.")},
    )
    # Null until a technology transfer's completion is recorded (2 years after it).
    export_restricted_until = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "mode",
            "recipient",
            "value",
            "requested_multiplier",
            "requested_credits",
            "approved_multiplier",
            "pre_approved_credits",
            "actual_credits",
            "transfer_completed_on",
            "export_restricted_until",
        ]
        read_only_fields = [
            "requested_credits",
            "approved_multiplier",
            "pre_approved_credits",
            "actual_credits",
            "transfer_completed_on",  # recorded with the transfer-completed action
        ]


class CaseSerializer(serializers.ModelSerializer):
    activities = ActivitySerializer(many=True)
    # Blank until the sub-committee has reviewed the case (a read-only field drops the
    # model's blank=True, so the schema would otherwise refuse "").
    subcommittee_outcome = serializers.ChoiceField(
        SubcommitteeOutcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "agreement",
            "title_zh",
            "title_en",
            "use",
            "field",
            "status",
            "starts_on",
            "ends_on",
            "description",
            "plan_item",
            "initial_review_opinion",
            "initial_review_opinion_en",
            "subcommittee_outcome",
            "office_request",
            "office_request_en",
            "assignee",
            "submitted_at",
            "activities",
        ]
        read_only_fields = [
            "number",
            "status",
            "initial_review_opinion",
            "initial_review_opinion_en",
            "subcommittee_outcome",
            "office_request",
            "office_request_en",
            "assignee",
            "submitted_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list):
            self.fields["agreement"].read_only = True
        request = self.context.get("request")
        if request is not None and not self.fields["agreement"].read_only:
            # An agreement the caller cannot see is no agreement at all (400, never a 403
            # that would confirm it exists).
            self.fields["agreement"].queryset = Agreement.objects.visible_to(request.user)


class DocumentSerializer(serializers.ModelSerializer):
    file = serializers.FileField(write_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = CaseDocument
        fields = [
            "id",
            "kind",
            "activity",
            "file",
            "original_name",
            "size",
            "uploaded_at",
            "download",
        ]
        read_only_fields = ["original_name", "size", "uploaded_at"]

    def get_download(self, document) -> str:
        return reverse("case-document-file", args=[document.case_id, document.pk])


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(read_only=True)
    result = serializers.ChoiceField(ChecklistResult.choices)
    confirmed_by = serializers.CharField(read_only=True, allow_null=True)
    note = serializers.CharField(write_only=True, required=False, allow_blank=True)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "action", "from_status", "to_status", "note"]


class ProgressReportSerializer(serializers.ModelSerializer):
    filed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "year", "quarter", "progress", "percent_complete", "filed_by", "filed_at"]
        read_only_fields = ["filed_by", "filed_at"]


class SupplementSerializer(serializers.Serializer):
    request = serializers.CharField(max_length=5000)
    request_en = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class InitialReviewSerializer(serializers.Serializer):
    opinion = serializers.CharField(max_length=10000)
    opinion_en = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class SubcommitteeReviewSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(SubcommitteeOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    note_en = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class TransferCompletedSerializer(serializers.Serializer):
    activity = serializers.IntegerField()
    completed_on = serializers.DateField()


class CheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = Checkpoint
        fields = ["id", "title", "due_on", "done_on"]
        read_only_fields = ["done_on"]


class OutcomeSerializer(serializers.ModelSerializer):
    """A case's outcomes at one stage (api.md ``/cases/{id}/outcomes/``, domain.md §14).
    POST records a stage (or corrects it: one row per stage)."""

    technologies = serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=50, required=False
    )
    stage = serializers.ChoiceField(choices=OutcomeStage.choices)

    class Meta:
        model = CaseOutcome
        fields = [
            "id",
            "stage",
            "as_of",
            "technologies",
            "investment_twd",
            "orders_twd",
            "added_output_twd",
            "people_trained",
            "jobs",
            "incrementality",
            "recorded_at",
        ]
        read_only_fields = ["recorded_at"]
        validators: list = []  # one row per stage: the service records or corrects it


class CheckpointDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField()


class AssignSerializer(serializers.Serializer):
    """Who in the office handles the case; null takes it back."""

    assignee = serializers.PrimaryKeyRelatedField(
        queryset=office_staff(), allow_null=True, help_text="An ICP office member's user id."
    )
