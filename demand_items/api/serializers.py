"""Serializers of demand items (api.md "Demand items")."""

from rest_framework import serializers

from demand_items.choices import Classification
from demand_items.models import (
    BENEFIT_TEXT_MAX,
    CallRound,
    DemandItem,
    PanelScore,
    validate_expected_benefit,
)


class CallRoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallRound
        fields = ["id", "year", "quarter", "opens_on", "closes_on", "status"]
        read_only_fields = ["status"]


class BenefitField(serializers.DictField):
    """{criterion: text}; a row stored before the validator existed reads as {}."""

    def to_representation(self, value):
        return super().to_representation(value if isinstance(value, dict) else {})


class DemandItemSerializer(serializers.ModelSerializer):
    # {criterion: text}: an object of strings, checked by the model's validator too.
    expected_benefit = BenefitField(
        child=serializers.CharField(max_length=BENEFIT_TEXT_MAX, allow_blank=True),
        required=False,
        validators=[validate_expected_benefit],
    )
    # Blank until the panel's scoring is closed (a read-only field drops the model's
    # blank=True, so the schema would otherwise refuse "").
    classification = serializers.ChoiceField(
        Classification.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = DemandItem
        fields = [
            "id",
            "round",
            "proposer",
            "title_zh",
            "title_en",
            "field",
            "source",
            "defence",
            "description",
            "technology_wanted",
            "expected_benefit",
            "firms",
            "total_need",
            "icp_share",
            "status",
            "panel_score",
            "classification",
            "published",
        ]
        read_only_fields = ["proposer", "status", "panel_score", "classification", "published"]


class PublicDemandItemSerializer(serializers.ModelSerializer):
    """What the public sees: no scores, no comments, no funding detail."""

    class Meta:
        model = DemandItem
        fields = [
            "id",
            "title_zh",
            "title_en",
            "field",
            "defence",
            "description",
            "technology_wanted",
            "classification",
            "published_on",
        ]


class ScoreSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.user.username", read_only=True)

    class Meta:
        model = PanelScore
        fields = ["id", "reviewer", "score", "comment", "scored_at"]
        read_only_fields = ["scored_at"]
