"""Serializers of feedback fees (api.md "Feedback fees")."""

from rest_framework import serializers

from feedback.models import Bill, ExchangeRate, FeeRate, Payment, Penalty, PenaltyPayment


class ExchangeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "rate_twd", "effective_on"]


class FeeRateSerializer(serializers.ModelSerializer):
    class Meta:
        model = FeeRate
        fields = ["id", "mode", "rate", "effective_from"]


class BillSerializer(serializers.ModelSerializer):
    amount_twd = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    paid_amount_twd = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Bill
        fields = [
            "id",
            "number",
            "recipient",
            "case",
            "activity",
            "mode",
            "credits",
            "credit_currency",
            "rate",
            "defence_halved",
            "exchange_rate",
            "amount_twd",
            "issued_on",
            "due_on",
            "status",
            "paid_amount_twd",
            "closing_reason",
            "meeting",
        ]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    amount_twd = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=1)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "paid_on", "amount_twd", "reference", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PenaltySerializer(serializers.ModelSerializer):
    """A penalty the promotion committee decided (api.md ``/penalties/``)."""

    amount_twd = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    paid_amount_twd = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Penalty
        fields = [
            "id",
            "number",
            "agreement",
            "meeting",
            "amount_twd",
            "reason",
            "reason_en",
            "issued_on",
            "due_on",
            "status",
            "paid_amount_twd",
            "closing_reason",
        ]
        read_only_fields = fields


class PenaltyPaymentSerializer(serializers.ModelSerializer):
    amount_twd = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=1)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PenaltyPayment
        fields = ["id", "paid_on", "amount_twd", "reference", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]
