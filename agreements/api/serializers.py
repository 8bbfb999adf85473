"""Serializers of agreements and credits (api.md "Agreements and credits")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.models import (
    Agreement,
    Briefing,
    CapabilityAssessment,
    CreditEntry,
    Guarantee,
    MultiplierStandard,
    NegotiationMeeting,
    NegotiationMember,
    PlanItem,
    Procurement,
    ProcurementPlanItem,
    SpecificationStandard,
)
from agreements.services import AMENDABLE_FIELDS


def points(**kwargs):
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


class SpecificationStandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecificationStandard
        fields = ["mode", "min_multiplier", "max_multiplier"]


class ProcurementSerializer(serializers.ModelSerializer):
    """A procurement with its pipeline (api.md): the stage and the specification are
    changed only through the pipeline's actions."""

    agreement_due_on = serializers.DateField(read_only=True, allow_null=True)
    agreement_overdue = serializers.SerializerMethodField()
    standards = SpecificationStandardSerializer(source="spec_standards", many=True, read_only=True)

    class Meta:
        model = Procurement
        fields = [
            "id",
            "title_zh",
            "title_en",
            "agency",
            "contract_value",
            "contract_currency",
            "contract_signed_on",
            "defence",
            "value_usd",
            "icp_use",
            "stage",
            "icp_ratio_min",
            "ratio_exemption",
            "spec_issued_on",
            "spec_schedule",
            "standards",
            "loa_signed_on",
            "agreement_due_on",
            "agreement_overdue",
            "no_icp_reason",
        ]
        read_only_fields = [
            "stage",
            "icp_ratio_min",
            "ratio_exemption",
            "spec_issued_on",
            "spec_schedule",
            "loa_signed_on",
            "no_icp_reason",
        ]

    def get_agreement_overdue(self, procurement) -> bool:
        return procurement.agreement_overdue()


class StageActionSerializer(serializers.Serializer):
    """A stage change: ``reason`` for no ICP, ``loa_signed_on`` with the commitment."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    loa_signed_on = serializers.DateField(required=False, allow_null=True)


class SpecificationSerializer(serializers.Serializer):
    icp_ratio_min = serializers.DecimalField(max_digits=5, decimal_places=4)
    ratio_exemption = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    schedule = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    issued_on = serializers.DateField()
    standards = SpecificationStandardSerializer(many=True)


class LoaSerializer(serializers.Serializer):
    loa_signed_on = serializers.DateField()


class CapabilityAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CapabilityAssessment
        fields = ["id", "item", "result", "note"]


class NegotiationMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = NegotiationMember
        fields = ["id", "name", "ministry", "unit", "leader"]


class NegotiationMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = NegotiationMeeting
        fields = ["id", "held_on", "counterpart", "notes"]


class ProcurementPlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcurementPlanItem
        fields = ["id", "demand_item", "mode"]
        extra_kwargs = {
            "demand_item": {
                "error_messages": {"does_not_exist": _("No demand item has id {pk_value}.")}
            }
        }


class AgreementSerializer(serializers.ModelSerializer):
    briefing_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "number",
            "procurement",
            "contractor",
            "currency",
            "obligation",
            "signed_on",
            "execution_ends_on",
            "defence_ratio_min",
            "penalty_cap_twd",
            "status",
            "briefing_due_on",
            "briefing_overdue",
        ]
        read_only_fields = ["briefing_due_on"]
        extra_kwargs = {
            "contractor": {
                "error_messages": {"does_not_exist": _("No foreign contractor has id {pk_value}.")}
            },
            "procurement": {
                "error_messages": {"does_not_exist": _("No procurement has id {pk_value}.")}
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list):
            # After signing only the amendable terms change; the obligation through
            # amend-obligation (which posts the difference to the ledger).
            for name in self.fields:
                if name not in AMENDABLE_FIELDS:
                    self.fields[name].read_only = True

    def get_briefing_overdue(self, agreement) -> bool:
        return agreement.briefing_overdue()


class AmendObligationSerializer(serializers.Serializer):
    obligation = points(min_value=0)
    effective_on = serializers.DateField()
    reason = serializers.CharField(max_length=1000)
    reason_en = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class MultiplierStandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = MultiplierStandard
        fields = ["id", "mode", "min_multiplier", "max_multiplier", "effective_from"]


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["id", "mode", "title", "demand_item"]


class BriefingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Briefing
        fields = ["id", "held_on", "title"]


class CreditEntrySerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = CreditEntry
        fields = [
            "id",
            "kind",
            "amount",
            "currency",
            "use",
            "case",
            "meeting",
            "reverses",
            "effective_on",
            "created_at",
            "created_by",
            "note",
            "note_en",
        ]


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
    reason_en = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    effective_on = serializers.DateField(required=False)


def balance_json(balance, **ids) -> dict:
    """A balance as api.md writes it (amounts as two-decimal strings, the share with four),
    built directly: the figures are computed already, and this is the hot path that REST
    clients poll for every agreement at once. ``BalanceSerializer`` documents the shape."""
    share = balance.defence_share
    # One agreement's balance also says when its execution ends and what is short after it.
    end = (
        {
            "execution_ends_on": balance.execution_ends_on.isoformat(),
            "shortfall": f"{balance.shortfall:.2f}",
        }
        if balance.execution_ends_on is not None
        else {}
    )
    return {
        **ids,
        "currency": balance.currency,
        "as_of": balance.as_of.isoformat(),
        "obligation": f"{balance.obligation:.2f}",
        "reserved": f"{balance.reserved:.2f}",
        "discharged": f"{balance.discharged:.2f}",
        "outstanding": f"{balance.outstanding:.2f}",
        "available": f"{balance.available:.2f}",
        "defence_share": None if share is None else f"{share:.4f}",
        **end,
    }


class BalanceSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(required=False)
    contractor = serializers.IntegerField(required=False)
    currency = serializers.CharField()
    as_of = serializers.DateField()
    obligation = points()
    reserved = points()
    discharged = points()
    outstanding = points()
    available = points()
    defence_share = serializers.DecimalField(max_digits=5, decimal_places=4, allow_null=True)
    # An agreement's balance (not a contractor's total per currency) carries these two.
    execution_ends_on = serializers.DateField(required=False)
    shortfall = points(required=False)


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)


class ContractorBalanceSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    balances = BalanceSerializer(many=True)
    banks = serializers.ListField(child=serializers.DictField(), required=False)


class GuaranteeSerializer(serializers.ModelSerializer):
    """A performance bond or letter of guarantee (api.md ``/agreements/{id}/guarantees/``)."""

    class Meta:
        model = Guarantee
        fields = [
            "id",
            "kind",
            "issuer",
            "amount",
            "currency",
            "valid_from",
            "valid_until",
            "status",
            "released_on",
            "called_on",
            "called_by_meeting",
            "note",
        ]
        read_only_fields = ["status", "released_on", "called_on", "called_by_meeting"]


class GuaranteeReleaseSerializer(serializers.Serializer):
    released_on = serializers.DateField(required=False)


class GuaranteeCallSerializer(serializers.Serializer):
    """Calling a guarantee names the meeting whose decision called it."""

    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Guarantee._meta.get_field("called_by_meeting").related_model._default_manager.all()
    )
    called_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
