"""Serializers of agreements and credits (api.md "Agreements and credits")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agreements.models import (
    Agreement,
    Briefing,
    CreditEntry,
    MultiplierStandard,
    PlanItem,
    Procurement,
)
from agreements.services import AMENDABLE_FIELDS


def points(**kwargs):
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


class ProcurementSerializer(serializers.ModelSerializer):
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
        ]


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


class AsOfSerializer(serializers.Serializer):
    as_of = serializers.DateField(required=False)


class ContractorBalanceSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    balances = BalanceSerializer(many=True)
    banks = serializers.ListField(child=serializers.DictField(), required=False)
