"""Serializers of meetings (api.md "Committee")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.models import Agreement
from cases.choices import SubcommitteeOutcome
from cases.models import Case
from committee.choices import AgendaKind, Outcome, PacketStage, PacketStatus
from committee.models import (
    AgendaItem,
    ConflictDeclaration,
    Decision,
    Meeting,
    Opinion,
    ResolutionFollowUp,
)
from demand_items.models import DemandItem
from organizations.models import ReviewerProfile


class MeetingSerializer(serializers.ModelSerializer):
    members = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ReviewerProfile.objects.filter(active=True), required=False
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "year",
            "number",
            "held_on",
            "title",
            "title_en",
            "status",
            "members",
            "minutes_approved_on",
        ]
        read_only_fields = ["status", "minutes_approved_on"]


class AgendaItemSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.all(), required=False, allow_null=True
    )
    demand_item = serializers.PrimaryKeyRelatedField(
        queryset=DemandItem.objects.all(), required=False, allow_null=True
    )
    # A shortfall item (kind ``penalty``) names the agreement.
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.all(), required=False, allow_null=True
    )
    decision = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "kind",
            "case",
            "demand_item",
            "agreement",
            "subject",
            "requested_by",
            "note",
            "decision",
        ]
        validators = []

    def validate(self, data):
        named = [data.get(name) for name in ("case", "demand_item", "agreement")]
        if data.get("kind") == AgendaKind.STEERING_REQUEST:
            # A policy steering request names what is asked and who asks, nothing else.
            if any(value is not None for value in named) or not data.get("subject"):
                raise serializers.ValidationError(
                    {"subject": _("A steering request names its subject, and no case.")}
                )
            return data
        if sum(value is not None for value in named) != 1:
            raise serializers.ValidationError(
                _("Name the case, the demand item or (for a shortfall) the agreement.")
            )
        if (data.get("agreement") is not None) != (data.get("kind") == AgendaKind.PENALTY):
            raise serializers.ValidationError(
                {"kind": _("A shortfall item (kind penalty), and only it, names an agreement.")}
            )
        return data

    def get_decision(self, item) -> str | None:
        decision = getattr(item, "decision", None)
        return decision.outcome if decision else None


class DecisionSerializer(serializers.ModelSerializer):
    agenda_item = serializers.PrimaryKeyRelatedField(queryset=AgendaItem.objects.all())
    outcome = serializers.ChoiceField(Outcome.choices)
    activities = serializers.ListField(child=serializers.DictField(), required=False)
    # The penalty in whole NT$ on an approved shortfall item (not above the agreement's maximum).
    amount_twd = serializers.DecimalField(
        max_digits=18, decimal_places=2, required=False, allow_null=True
    )

    class Meta:
        model = Decision
        fields = [
            "id",
            "agenda_item",
            "outcome",
            "note",
            "note_en",
            "new_ends_on",
            "amount_twd",
            "activities",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class OpinionSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(queryset=Case.objects.all())
    recommendation = serializers.ChoiceField(SubcommitteeOutcome.choices)
    reviewer = serializers.CharField(source="reviewer.user.username", read_only=True)

    class Meta:
        model = Opinion
        fields = ["id", "case", "reviewer", "opinion", "recommendation", "filed_at"]
        read_only_fields = ["filed_at"]


class ConflictSerializer(serializers.ModelSerializer):
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.all(), required=False, allow_null=True
    )
    demand_item = serializers.PrimaryKeyRelatedField(
        queryset=DemandItem.objects.all(), required=False, allow_null=True
    )
    reviewer = serializers.CharField(source="reviewer.user.username", read_only=True)

    class Meta:
        model = ConflictDeclaration
        fields = ["id", "case", "demand_item", "reviewer", "reason", "declared_at"]
        read_only_fields = ["declared_at"]


class ApproveMinutesSerializer(serializers.Serializer):
    approved_on = serializers.DateField(required=False)


class PacketVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=PacketStage.choices)
    status = serializers.ChoiceField(choices=PacketStatus.choices)
    built_at = serializers.DateTimeField(allow_null=True)
    pages = serializers.IntegerField(allow_null=True)
    size_bytes = serializers.IntegerField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)


class PacketStatusSerializer(serializers.Serializer):
    """The latest packet's status (api.md ``/meetings/{id}/packet/``), the day the final
    packet is due at the members, whether it is late, and every version."""

    meeting = serializers.IntegerField()
    version = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=["none", *PacketStatus.values])
    progress = serializers.IntegerField(min_value=0, max_value=100)
    stage = serializers.ChoiceField(choices=PacketStage.choices, allow_null=True)
    built_at = serializers.DateTimeField(allow_null=True)
    pages = serializers.IntegerField(allow_null=True)
    size_bytes = serializers.IntegerField(allow_null=True)
    stale = serializers.BooleanField()
    sent_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    send_by = serializers.DateField()
    late = serializers.BooleanField()
    versions = PacketVersionSerializer(many=True)


class FollowUpSerializer(serializers.ModelSerializer):
    """A steering resolution's follow-up (會後管制): the resolution, what was done, and the
    day it was carried out."""

    meeting = serializers.IntegerField(source="decision.agenda_item.meeting_id", read_only=True)
    subject = serializers.CharField(source="decision.agenda_item.subject", read_only=True)
    requested_by = serializers.CharField(source="decision.agenda_item.requested_by", read_only=True)
    resolution = serializers.CharField(source="decision.note", read_only=True)
    outcome = serializers.CharField(source="decision.outcome", read_only=True)

    class Meta:
        model = ResolutionFollowUp
        fields = [
            "id",
            "meeting",
            "subject",
            "requested_by",
            "outcome",
            "resolution",
            "status",
            "progress",
            "carried_out_on",
        ]
        read_only_fields = ["status"]
        extra_kwargs = {"progress": {"required": True, "allow_blank": False}}
