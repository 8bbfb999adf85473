"""API views of agreements and credits: visibility by selector, writes by service."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from agreements import selectors, services
from agreements.api.serializers import (
    AgreementSerializer,
    AmendObligationSerializer,
    AsOfSerializer,
    BalanceSerializer,
    BriefingSerializer,
    ContractorBalanceSerializer,
    CreditEntrySerializer,
    MultiplierStandardSerializer,
    PlanItemSerializer,
    ProcurementSerializer,
    ReverseSerializer,
    balance_json,
)
from agreements.choices import EntryKind
from agreements.filtersets import AgreementFilterSet, CreditEntryFilterSet, ProcurementFilterSet
from agreements.models import Agreement, Procurement
from organizations.api.permissions import StaffWritePermission
from organizations.choices import OrganizationKind
from organizations.models import Organization

AS_OF = OpenApiParameter("as_of", str, description="YYYY-MM-DD; default today")


def _as_of(request):
    serializer = AsOfSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("as_of") or timezone.localdate()


class _StaffWriteViewSet(viewsets.GenericViewSet):
    permission_classes = [*viewsets.GenericViewSet.permission_classes, StaffWritePermission]


class ProcurementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _StaffWriteViewSet,
):
    """Procurements (購案); staff write, contractors read those they hold agreements on."""

    lookup_value_regex = r"\d+"

    serializer_class = ProcurementSerializer
    filterset_class = ProcurementFilterSet
    ordering_fields = ["contract_signed_on", "contract_value", "id"]

    def get_queryset(self):
        return Procurement.objects.visible_to(self.request.user).order_by(
            "-contract_signed_on", "id"
        )

    def perform_create(self, serializer):
        serializer.instance = services.procurement_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.procurement_update(
            procurement=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    _StaffWriteViewSet,
):
    """Agreements (工業合作協議書) and their sub-resources; staff write, a contractor reads
    its own, others get 404."""

    lookup_value_regex = r"\d+"

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilterSet
    ordering_fields = ["number", "signed_on", "obligation", "execution_ends_on", "id"]

    def get_queryset(self):
        return (
            Agreement.objects.visible_to(self.request.user)
            .select_related("contractor", "procurement")
            .annotate(briefing_held_on_time=selectors.briefing_on_time())
            .order_by("-signed_on", "number")
        )

    def perform_create(self, serializer):
        serializer.instance = services.agreement_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.agreement_update(
            agreement=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=AmendObligationSerializer, responses={201: CreditEntrySerializer})
    @action(detail=True, methods=["post"], url_path="amend-obligation")
    def amend_obligation(self, request, pk=None):
        """Amend the obligation: the difference is posted as an obligation entry."""
        agreement = self.get_object()
        serializer = AmendObligationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.agreement_amend_obligation(
            agreement=agreement, actor=request.user, **serializer.validated_data
        )
        return Response(CreditEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    def _sub_list(self, request, queryset, serializer_class, create):
        agreement = self.get_object()
        if request.method == "POST":
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            row = create(agreement=agreement, actor=request.user, **serializer.validated_data)
            return Response(serializer_class(row).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(queryset(agreement))
        return self.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(methods=["GET"], responses=MultiplierStandardSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=MultiplierStandardSerializer,
        responses={201: MultiplierStandardSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=MultiplierStandardSerializer,
        filter_backends=[],  # the agreements' filters are not this list's
    )
    def multipliers(self, request, pk=None):
        """Multiplier standards per mode with their effective dates."""
        return self._sub_list(
            request,
            lambda a: a.multipliers.order_by("mode", "-effective_from"),
            MultiplierStandardSerializer,
            services.multiplier_standard_set,
        )

    @extend_schema(methods=["GET"], responses=PlanItemSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=PlanItemSerializer, responses={201: PlanItemSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="plan-items",
        serializer_class=PlanItemSerializer,
        filter_backends=[],
    )
    def plan_items(self, request, pk=None):
        """The ICP plan's items (工業合作計畫書)."""
        return self._sub_list(
            request,
            lambda a: a.plan_items.order_by("id"),
            PlanItemSerializer,
            services.plan_item_add,
        )

    @extend_schema(methods=["GET"], responses=BriefingSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=BriefingSerializer, responses={201: BriefingSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=BriefingSerializer,
        filter_backends=[],
    )
    def briefings(self, request, pk=None):
        """Public briefings (招商說明會) held."""
        return self._sub_list(
            request,
            lambda a: a.briefings.order_by("held_on"),
            BriefingSerializer,
            services.briefing_record,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=EntryKind.values),
            OpenApiParameter("case", int, description="case id"),
        ],
        responses=CreditEntrySerializer(many=True),
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=CreditEntrySerializer,
        filter_backends=[],  # CreditEntryFilterSet is applied below, to the entries
    )
    def ledger(self, request, pk=None):
        """The agreement's ledger entries (read-only; corrections are reversals)."""
        agreement = self.get_object()
        entries = CreditEntryFilterSet(
            request.query_params, queryset=selectors.agreement_ledger(agreement=agreement)
        )
        if not entries.is_valid():
            return Response(entries.errors, status=status.HTTP_400_BAD_REQUEST)
        page = self.paginate_queryset(entries.qs)
        return self.get_paginated_response(CreditEntrySerializer(page, many=True).data)

    @extend_schema(request=ReverseSerializer, responses={201: CreditEntrySerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"ledger/(?P<entry_id>\d+)/reverse",
        serializer_class=ReverseSerializer,
    )
    def reverse_entry(self, request, pk=None, entry_id=None):
        """Reverse a ledger entry with a reason (staff)."""
        agreement = self.get_object()
        entry = get_object_or_404(agreement.entries, pk=entry_id)
        serializer = ReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reversal = services.credit_entry_reverse(
            entry=entry, actor=request.user, **serializer.validated_data
        )
        return Response(CreditEntrySerializer(reversal).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[AS_OF], responses=BalanceSerializer)
    @action(detail=True, methods=["get"], serializer_class=BalanceSerializer, filter_backends=[])
    def balance(self, request, pk=None):
        """The balance on ``as_of``: obligation, reserved, discharged, outstanding, available."""
        agreement = self.get_object()
        balance = selectors.agreement_balance(agreement=agreement, as_of=_as_of(request))
        return Response(balance_json(balance, agreement=agreement.pk))


class BalanceListView(ListAPIView):
    """One balance row per visible agreement: what REST clients poll. The page of
    agreements is counted and sliced without the ledger; then one aggregate query gives
    the page's balances, so the cost per page is constant whatever the data size."""

    serializer_class = BalanceSerializer
    filterset_class = AgreementFilterSet
    ordering_fields = ["id", "signed_on", "number"]

    @extend_schema(parameters=[AS_OF])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.agreements_filtered(user=self.request.user).order_by("id")

    def list(self, request, *args, **kwargs):
        as_of = _as_of(request)
        agreements = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(agreements.values("id", "contractor_id", "currency"))
        balances = selectors.balances_of(agreements=page, as_of=as_of)
        rows = [
            balance_json(balances[a["id"]], agreement=a["id"], contractor=a["contractor_id"])
            for a in page
        ]
        return self.get_paginated_response(rows)


class ContractorBalanceView(RetrieveAPIView):
    """A contractor's balances per currency over all its agreements, and its legacy bank."""

    serializer_class = ContractorBalanceSerializer

    @extend_schema(parameters=[AS_OF])
    def get(self, request, pk):
        organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
        if organization.kind != OrganizationKind.FOREIGN_CONTRACTOR:
            raise NotFound()
        as_of = _as_of(request)
        balances = selectors.contractor_balances(contractor_id=organization.pk, as_of=as_of)
        banks = [
            {"currency": bank.currency, "balance": f"{balance:.2f}"}
            for bank, balance in selectors.contractor_banks(contractor_id=organization.pk)
        ]
        return Response(
            {
                "organization": organization.pk,
                "balances": [balance_json(balance) for balance in balances],
                "banks": banks,
            }
        )
