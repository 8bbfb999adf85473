"""API of demand items: rounds, items, panel scores, actions, and the public catalogue."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from demand_items import selectors, services
from demand_items.api.serializers import (
    CallRoundSerializer,
    DemandItemSerializer,
    PublicDemandItemSerializer,
    ScoreSerializer,
)
from demand_items.filtersets import DemandItemFilterSet, PublicDemandItemFilterSet
from demand_items.models import CallRound, DemandItem


class CallRoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Quarterly call rounds; staff open them and close their scoring."""

    lookup_value_regex = r"\d+"
    serializer_class = CallRoundSerializer

    def get_queryset(self):
        # The same rule as the rounds page: office, proposing units, reviewers (else 403).
        if getattr(self, "swagger_fake_view", False):  # the schema: the model, no rows
            return CallRound.objects.none()
        return selectors.call_round_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.round_open(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=None, responses=DemandItemSerializer(many=True))
    @action(
        detail=True,
        methods=["post"],
        url_path="close-scoring",
        # The items this closing classified, all of them: a plain array, not a page.
        filter_backends=[],
        pagination_class=None,
    )
    def close_scoring(self, request, pk=None):
        """Mean and band for every item a majority of the panel scored; the rest stay open."""
        closed = services.round_close_scoring(round=self.get_object(), actor=request.user)
        return Response(DemandItemSerializer(closed, many=True).data)


class DemandItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Demand items: proposing units file; the panel scores; staff hold and publish."""

    lookup_value_regex = r"\d+"
    serializer_class = DemandItemSerializer
    filterset_class = DemandItemFilterSet
    ordering_fields = ["id", "panel_score"]

    def get_queryset(self):
        # The page's selector; DRF applies the same FilterSet (filterset_class).
        return selectors.item_list(user=self.request.user).order_by("id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.item_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.item_update(
            item=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _done(self, item):
        return Response(DemandItemSerializer(DemandItem.objects.get(pk=item.pk)).data)

    @extend_schema(request=None, responses=DemandItemSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._done(services.item_submit(item=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=DemandItemSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Hold the item to the next round (the panel's decision, recorded by the office)."""
        return self._done(services.item_hold(item=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=DemandItemSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish a passed item on the public catalogue (staff)."""
        return self._done(services.item_publish(item=self.get_object(), actor=request.user))

    @extend_schema(methods=["GET"], responses=ScoreSerializer(many=True))
    @extend_schema(methods=["POST"], request=ScoreSerializer, responses={201: ScoreSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=ScoreSerializer,
        filter_backends=[],  # the items' filters are not this list's
    )
    def scores(self, request, pk=None):
        """Panel scores: a member files (or revises) theirs; staff see all, members their own."""
        item = self.get_object()
        if request.method == "POST":
            serializer = ScoreSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            row = services.score_file(item=item, actor=request.user, **serializer.validated_data)
            return Response(ScoreSerializer(row).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.item_scores(item=item, user=request.user))
        return self.get_paginated_response(ScoreSerializer(page, many=True).data)


class PublicDemandItemList(ListAPIView):
    """Published demand items, both languages, no login."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PublicDemandItemSerializer
    filterset_class = PublicDemandItemFilterSet

    def get_queryset(self):
        return selectors.public_list().order_by("id")


class PublicDemandItemDetail(RetrieveAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = PublicDemandItemSerializer

    def get_queryset(self):
        return DemandItem.objects.public()
