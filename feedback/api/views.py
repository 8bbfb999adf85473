"""API of feedback fees: exchange rates, fee rates, bills, payments, payment notices."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from feedback import selectors, services, workflow
from feedback.api.serializers import (
    BillSerializer,
    ExchangeRateSerializer,
    FeeRateSerializer,
    PaymentSerializer,
    PenaltyPaymentSerializer,
    PenaltySerializer,
    ReasonSerializer,
)
from feedback.filtersets import BillFilterSet, PenaltyFilterSet
from feedback.models import Bill, ExchangeRate, FeeRate, Penalty


class _RateViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Rates are the office's working data: the same rule as the rate pages (staff only,
    403 for anybody else), decided in the selectors."""


class ExchangeRateViewSet(_RateViewSet):
    """NT$ per point; a bill uses the rate in force on its issue date (TWD_PTS is 1)."""

    serializer_class = ExchangeRateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: the model, no rows
            return ExchangeRate.objects.none()
        return selectors.exchange_rate_list(user=self.request.user)

    filterset_fields = ["currency"]

    def perform_create(self, serializer):
        serializer.instance = services.exchange_rate_set(
            actor=self.request.user, **serializer.validated_data
        )


class FeeRateViewSet(_RateViewSet):
    """Fee rates per mode with effective dates (a new rate never changes an issued bill)."""

    serializer_class = FeeRateSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: the model, no rows
            return FeeRate.objects.none()
        return selectors.fee_rate_list(user=self.request.user)

    filterset_fields = ["mode"]

    def perform_create(self, serializer):
        serializer.instance = services.fee_rate_set(
            actor=self.request.user, **serializer.validated_data
        )


class BillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Feedback-fee bills: staff see all, a recipient's members their own."""

    lookup_value_regex = r"\d+"
    serializer_class = BillSerializer
    filterset_class = BillFilterSet
    ordering_fields = ["issued_on", "due_on", "amount_twd", "id"]

    def get_queryset(self):
        return Bill.objects.visible_to(self.request.user).order_by("-issued_on", "-id")

    @extend_schema(methods=["GET"], responses=PaymentSerializer(many=True))
    @extend_schema(methods=["POST"], request=PaymentSerializer, responses={201: PaymentSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=PaymentSerializer,
        filter_backends=[],  # the bills' filters are not this list's
    )
    def payments(self, request, pk=None):
        """Payments of the bill; staff record one (partial allowed, overpayment refused)."""
        bill = self.get_object()
        if request.method == "POST":
            workflow.check(bill, "record_payment", request.user)
            serializer = PaymentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            payment = services.payment_record(
                bill=bill, actor=request.user, **serializer.validated_data
            )
            return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(bill.payments.order_by("paid_on", "id"))
        return self.get_paginated_response(PaymentSerializer(page, many=True).data)

    def _close(self, request, service, action: str):
        bill = self.get_object()
        workflow.check(bill, action, request.user)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bill = service(bill=bill, actor=request.user, reason=serializer.validated_data["reason"])
        return Response(BillSerializer(bill).data)

    @extend_schema(request=ReasonSerializer, responses=BillSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def waive(self, request, pk=None):
        """The committee waives the bill (with a reason)."""
        return self._close(request, services.bill_waive, "waive")

    @extend_schema(request=ReasonSerializer, responses=BillSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def cancel(self, request, pk=None):
        """Cancel a bill issued in error (with a reason)."""
        return self._close(request, services.bill_cancel, "cancel")

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The payment notice (繳款通知書) as a PDF."""
        from feedback.pdf import payment_notice_pdf

        bill = self.get_object()
        response = HttpResponse(payment_notice_pdf(bill), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{bill.number}.pdf"'
        return response


class PenaltyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Penalties (罰款) the promotion committee decided in its minutes: staff see all, a
    contractor's members their own, an agency those on its purchases. A penalty never
    changes the ledger."""

    lookup_value_regex = r"\d+"
    serializer_class = PenaltySerializer
    filterset_class = PenaltyFilterSet
    ordering_fields = ["issued_on", "due_on", "amount_twd", "id"]

    def get_queryset(self):
        return Penalty.objects.visible_to(self.request.user).order_by("-issued_on", "-id")

    @extend_schema(methods=["GET"], responses=PenaltyPaymentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=PenaltyPaymentSerializer,
        responses={201: PenaltyPaymentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=PenaltyPaymentSerializer,
        filter_backends=[],  # the penalties' filters are not this list's
    )
    def payments(self, request, pk=None):
        """Payments of the penalty; staff record one (partial allowed, overpayment refused)."""
        penalty = self.get_object()
        if request.method == "POST":
            workflow.penalty_check(penalty, "record_payment", request.user)
            serializer = PenaltyPaymentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            payment = services.penalty_payment_record(
                penalty=penalty, actor=request.user, **serializer.validated_data
            )
            return Response(PenaltyPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(penalty.payments.order_by("paid_on", "id"))
        return self.get_paginated_response(PenaltyPaymentSerializer(page, many=True).data)

    @extend_schema(request=ReasonSerializer, responses=PenaltySerializer)
    @action(detail=True, methods=["post"], serializer_class=ReasonSerializer)
    def waive(self, request, pk=None):
        """The committee waives the penalty (with a reason)."""
        penalty = self.get_object()
        workflow.penalty_check(penalty, "waive", request.user)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        penalty = services.penalty_waive(
            penalty=penalty, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(PenaltySerializer(penalty).data)
