"""API views of agreements and credits: visibility by selector, writes by service."""

import hashlib

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import parse_etags
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response

from agreements import pipeline_services, selectors, services
from agreements.api.serializers import (
    AgreementSerializer,
    AmendObligationSerializer,
    AsOfSerializer,
    BalanceSerializer,
    BriefingSerializer,
    CapabilityAssessmentSerializer,
    ContractorBalanceSerializer,
    CreditEntrySerializer,
    GuaranteeCallSerializer,
    GuaranteeReleaseSerializer,
    GuaranteeSerializer,
    LoaSerializer,
    MultiplierStandardSerializer,
    NegotiationMeetingSerializer,
    NegotiationMemberSerializer,
    PlanItemSerializer,
    ProcurementPlanItemSerializer,
    ProcurementSerializer,
    ReverseSerializer,
    SpecificationSerializer,
    StageActionSerializer,
    balance_json,
)
from agreements.choices import EntryKind
from agreements.filtersets import AgreementFilterSet, CreditEntryFilterSet, ProcurementFilterSet
from agreements.models import Agreement, Procurement, party_scope_key
from organizations.api.permissions import StaffWritePermission
from organizations.choices import OrganizationKind
from organizations.models import Organization

AS_OF = OpenApiParameter("as_of", str, description="YYYY-MM-DD; default today")
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of a previous answer: 304 with no body while it still holds.",
)


def _as_of(request):
    serializer = AsOfSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data.get("as_of") or timezone.localdate()


def _etag(*parts) -> str:
    """A strong entity tag made of what the answer depends on."""
    return '"' + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest() + '"'


def _holds(if_none_match: str, etag: str) -> bool:
    """Whether a client's ``If-None-Match`` still holds ``etag`` (weak tags compare too)."""
    held = [tag.removeprefix("W/") for tag in parse_etags(if_none_match)]
    return etag in held or "*" in held


def _tagged(response, etag: str):
    """Every balance answer carries its tag and asks caches to revalidate every time."""
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _conditional(request, etag: str, answer) -> Response:
    """304 with no body when the client holds ``etag`` (api.md "Conditional requests"),
    else ``answer()``."""
    if _holds(request.headers.get("If-None-Match", ""), etag):
        return _tagged(Response(status=status.HTTP_304_NOT_MODIFIED), etag)
    return _tagged(answer(), etag)


def balance_of_one(*, user, pk, as_of, if_none_match: str = "") -> tuple[str, dict | None] | None:
    """One agreement's balance on ``as_of`` as the API answers it: its ETag and its JSON,
    or no JSON when the client's ``If-None-Match`` still holds (304); None when ``user``
    may not see the agreement (404).

    The agreement's light row (with its maintained figures) answers the tag, and the
    balance wherever no entry takes effect after ``as_of``; else that agreement's ledger is
    summed (one more query, or sent ahead: ``balance_of_one_queries``)."""
    row = selectors.visible_balance_row(user=user, pk=pk)
    if row is None:
        return None
    etag = _etag("balance", row["id"], as_of, row["m_entries"] or 0, row["execution_ends_on"])
    if if_none_match and _holds(if_none_match, etag):
        return etag, None
    balance = selectors.balances_of(agreements=[row], as_of=as_of)[row["id"]]
    return etag, balance_json(balance, agreement=row["id"])


def balance_of_one_queries(*, scope: str, pk, as_of, if_none_match: str = "") -> list:
    """The queries :func:`balance_of_one` runs for a caller of ``scope``
    (``party_scope_key``), to send ahead with the token lookup (agreements/api/fast.py)."""
    light = bool(if_none_match)
    return selectors.visible_balance_queries(scope=scope, pk=pk, as_of=None if light else as_of)


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
        return (
            Procurement.objects.visible_to(self.request.user)
            .prefetch_related("spec_standards")
            .order_by("-contract_signed_on", "id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.procurement_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.procurement_update(
            procurement=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    # --- The pipeline (domain.md §12) -------------------------------------------------

    def _stage(self, request, action_name: str):
        procurement = self.get_object()
        serializer = StageActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        procurement = pipeline_services.procurement_advance(
            procurement=procurement,
            action=action_name,
            actor=request.user,
            reason=data.get("reason", ""),
            loa_signed_on=data.get("loa_signed_on"),
        )
        return Response(ProcurementSerializer(procurement).data)

    @extend_schema(request=None, responses=ProcurementSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def assess(self, request, pk=None):
        """The capability assessment is done: planning → assessed."""
        return self._stage(request, "assess")

    @extend_schema(request=None, responses=ProcurementSerializer)
    @action(detail=True, methods=["post"], url_path="start-negotiation", filter_backends=[])
    def start_negotiation(self, request, pk=None):
        """The joint team starts negotiating: specified → negotiating."""
        return self._stage(request, "start_negotiation")

    @extend_schema(request=StageActionSerializer, responses=ProcurementSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def commit(self, request, pk=None):
        """The contractor's commitment (LOA, commitment letter): negotiating → committed."""
        return self._stage(request, "commit")

    @extend_schema(request=StageActionSerializer, responses=ProcurementSerializer)
    @action(detail=True, methods=["post"], url_path="no-icp", filter_backends=[])
    def no_icp(self, request, pk=None):
        """The procurement carries no ICP (with the reason)."""
        return self._stage(request, "no_icp")

    @extend_schema(request=SpecificationSerializer, responses=ProcurementSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def specification(self, request, pk=None):
        """Issue or revise the ICP specification (工業合作規範)."""
        procurement = self.get_object()
        serializer = SpecificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        procurement = pipeline_services.procurement_specify(
            procurement=procurement, actor=request.user, **serializer.validated_data
        )
        return Response(ProcurementSerializer(procurement).data)

    @extend_schema(request=LoaSerializer, responses=ProcurementSerializer)
    @action(detail=True, methods=["post"], filter_backends=[])
    def loa(self, request, pk=None):
        """Record the LOA's date: the agreement is due 6 months after it."""
        procurement = self.get_object()
        serializer = LoaSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        procurement = pipeline_services.procurement_record_loa(
            procurement=procurement, actor=request.user, **serializer.validated_data
        )
        return Response(ProcurementSerializer(procurement).data)

    def _rows(self, request, queryset, serializer_class, create):
        procurement = self.get_object()
        if request.method == "POST":
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            row = create(procurement=procurement, actor=request.user, **serializer.validated_data)
            return Response(serializer_class(row).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(queryset(procurement))
        return self.get_paginated_response(serializer_class(page, many=True).data)

    @extend_schema(methods=["GET"], responses=CapabilityAssessmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=CapabilityAssessmentSerializer,
        responses={201: CapabilityAssessmentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=CapabilityAssessmentSerializer,
        filter_backends=[],
    )
    def assessments(self, request, pk=None):
        """The capability assessment's items and their results."""
        return self._rows(
            request,
            lambda p: p.assessments.order_by("id"),
            CapabilityAssessmentSerializer,
            pipeline_services.assessment_add,
        )

    @extend_schema(methods=["GET"], responses=NegotiationMemberSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=NegotiationMemberSerializer,
        responses={201: NegotiationMemberSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=NegotiationMemberSerializer,
        filter_backends=[],
    )
    def team(self, request, pk=None):
        """The joint negotiation team (聯合談判團隊) of MND and MOEA."""
        return self._rows(
            request,
            lambda p: p.team.order_by("-leader", "id"),
            NegotiationMemberSerializer,
            pipeline_services.negotiation_member_add,
        )

    @extend_schema(methods=["GET"], responses=NegotiationMeetingSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=NegotiationMeetingSerializer,
        responses={201: NegotiationMeetingSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=NegotiationMeetingSerializer,
        filter_backends=[],
    )
    def negotiations(self, request, pk=None):
        """The team's meetings with the contractor."""
        return self._rows(
            request,
            lambda p: p.negotiations.order_by("held_on", "id"),
            NegotiationMeetingSerializer,
            pipeline_services.negotiation_meeting_record,
        )

    @extend_schema(methods=["GET"], responses=ProcurementPlanItemSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ProcurementPlanItemSerializer,
        responses={201: ProcurementPlanItemSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="planned-items",
        serializer_class=ProcurementPlanItemSerializer,
        filter_backends=[],
    )
    def planned_items(self, request, pk=None):
        """Planned items chosen from the published demand items."""
        return self._rows(
            request,
            lambda p: p.planned_items.order_by("id"),
            ProcurementPlanItemSerializer,
            pipeline_services.procurement_plan_item_add,
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

    @extend_schema(methods=["GET"], responses=GuaranteeSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=GuaranteeSerializer, responses={201: GuaranteeSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=GuaranteeSerializer,
        filter_backends=[],
    )
    def guarantees(self, request, pk=None):
        """Performance bonds and letters of guarantee (履約保證金、保證函); staff lodge them."""
        return self._sub_list(
            request,
            lambda a: a.guarantees.select_related("called_by_meeting").order_by(
                "valid_until", "id"
            ),
            GuaranteeSerializer,
            services.guarantee_add,
        )

    def _guarantee(self, guarantee_id):
        agreement = self.get_object()
        return get_object_or_404(agreement.guarantees, pk=guarantee_id)

    @extend_schema(request=GuaranteeReleaseSerializer, responses=GuaranteeSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"guarantees/(?P<guarantee_id>\d+)/release",
        serializer_class=GuaranteeReleaseSerializer,
    )
    def release_guarantee(self, request, pk=None, guarantee_id=None):
        """Release a held guarantee (staff); closing the agreement releases them all."""
        guarantee = self._guarantee(guarantee_id)
        serializer = GuaranteeReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guarantee = services.guarantee_release(
            guarantee=guarantee, actor=request.user, **serializer.validated_data
        )
        return Response(GuaranteeSerializer(guarantee).data)

    @extend_schema(request=GuaranteeCallSerializer, responses=GuaranteeSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"guarantees/(?P<guarantee_id>\d+)/call",
        serializer_class=GuaranteeCallSerializer,
    )
    def call_guarantee(self, request, pk=None, guarantee_id=None):
        """Call a held guarantee as a committee meeting decided (staff)."""
        guarantee = self._guarantee(guarantee_id)
        serializer = GuaranteeCallSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        guarantee = services.guarantee_call(
            guarantee=guarantee, actor=request.user, **serializer.validated_data
        )
        return Response(GuaranteeSerializer(guarantee).data)

    @extend_schema(parameters=[AS_OF, IF_NONE_MATCH], responses={200: BalanceSerializer, 304: None})
    @action(detail=True, methods=["get"], serializer_class=BalanceSerializer, filter_backends=[])
    def balance(self, request, pk=None):
        """The balance on ``as_of``: obligation, reserved, discharged, outstanding, available.

        One query finds the visible agreement with its balance (``balance_of_one``); REST
        clients' token GETs are answered by ``agreements.api.fast`` before reaching here."""
        found = balance_of_one(
            user=request.user,
            pk=pk,
            as_of=_as_of(request),
            if_none_match=request.headers.get("If-None-Match", ""),
        )
        if found is None:
            raise Http404
        etag, body = found
        if body is None:
            return _tagged(Response(status=status.HTTP_304_NOT_MODIFIED), etag)
        return _tagged(Response(body), etag)


def _paginator_counted(count: int):
    """Django's paginator, its count already known (the ETag's query counted the rows)."""

    def make(object_list, per_page) -> Paginator:
        paginator = Paginator(object_list, per_page)
        paginator.__dict__["count"] = count  # a cached_property: set, not computed
        return paginator

    return make


# The rows of the balance list already written, by what each depends on: the agreement,
# its contractor and currency, its end of execution, the date, and how many entries it has
# had posted and the last one's id — entries are append-only, so these name the state of
# its ledger (a database restored to an earlier state is served by restarted processes). A
# client polling the list gets most rows from here; only agreements with a new posting are
# summed and written again. Bounded: emptied when full.
_ROWS: dict[tuple, dict] = {}
_ROWS_MAX = 100_000


def _balance_rows(page: list[dict], as_of) -> list[dict]:
    """The JSON rows of a page of agreements (``MAINTAINED`` values) on ``as_of``."""
    keys = [
        (
            a["id"],
            a["contractor_id"],
            a["currency"],
            a["execution_ends_on"],
            as_of,
            a["m_entries"],
            a["m_last"],
        )
        for a in page
    ]
    found = {key: _ROWS.get(key) for key in keys}
    missing = [a for a, key in zip(page, keys, strict=True) if found[key] is None]
    if missing:
        balances = selectors.balances_of(agreements=missing, as_of=as_of)
        if len(_ROWS) + len(missing) > _ROWS_MAX:
            _ROWS.clear()
        for a, key in zip(page, keys, strict=True):
            if found[key] is None:
                row = balance_json(
                    balances[a["id"]], agreement=a["id"], contractor=a["contractor_id"]
                )
                found[key] = _ROWS[key] = row
    return [found[key] for key in keys]


class BalanceListView(ListAPIView):
    """One balance row per visible agreement: what REST clients poll.

    One query over the agreements and their maintained rows makes the ETag (how many,
    which, how many entries posted): a client holding it gets 304 with nothing else done.
    Otherwise one more query reads the page with its maintained balances; agreements with
    an entry taking effect after ``as_of`` get theirs from the ledger in one query more.
    The cost per page is constant whatever the data size."""

    serializer_class = BalanceSerializer
    filterset_class = AgreementFilterSet
    ordering_fields = ["id", "signed_on", "number"]

    @extend_schema(
        parameters=[AS_OF, IF_NONE_MATCH],
        responses={200: BalanceSerializer(many=True), 304: None},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.agreements_filtered(user=self.request.user).order_by("id")

    def list(self, request, *args, **kwargs):
        as_of = _as_of(request)
        agreements = self.filter_queryset(self.get_queryset())
        version = selectors.balance_version(agreements=agreements)
        count = version[0]
        query = sorted(request.query_params.lists())
        etag = _etag("balances", party_scope_key(request.user), query, as_of, *version)

        def answer() -> Response:
            self.paginator.django_paginator_class = _paginator_counted(count)
            page = self.paginate_queryset(
                agreements.values(
                    "id", "contractor_id", "currency", "execution_ends_on", **selectors.MAINTAINED
                )
            )
            return self.get_paginated_response(_balance_rows(page, as_of))

        return _conditional(request, etag, answer)


class ContractorBalanceView(RetrieveAPIView):
    """A contractor's balances per currency over all its agreements, and its legacy bank."""

    serializer_class = ContractorBalanceSerializer

    @extend_schema(
        parameters=[AS_OF, IF_NONE_MATCH],
        responses={200: ContractorBalanceSerializer, 304: None},
    )
    def get(self, request, pk):
        organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
        if organization.kind != OrganizationKind.FOREIGN_CONTRACTOR:
            raise NotFound()
        as_of = _as_of(request)
        version = selectors.contractor_balance_version(contractor_id=organization.pk)
        etag = _etag("contractor", organization.pk, as_of, *version)

        def answer() -> Response:
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

        return _conditional(request, etag, answer)
