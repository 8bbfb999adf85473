"""API of meetings: agendas, opinions, conflicts, decisions and approving the minutes."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from cases.models import Case
from committee import services
from committee.api.serializers import (
    AgendaItemSerializer,
    ApproveMinutesSerializer,
    ConflictSerializer,
    DecisionSerializer,
    MeetingSerializer,
    OpinionSerializer,
)
from committee.models import Decision, Meeting
from organizations.api.permissions import StaffWritePermission
from organizations.models import is_office_staff


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings: promotion committee, industry sub-committees, demand-item panels."""

    lookup_value_regex = r"\d+"
    serializer_class = MeetingSerializer
    filterset_fields = ["kind", "year", "status"]
    ordering_fields = ["held_on", "id"]

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .prefetch_related("members")
            .order_by("-held_on", "-id")
        )

    def get_permissions(self):
        if self.action in ("create", "agenda", "decisions", "approve_minutes"):
            return [*super().get_permissions(), StaffWritePermission()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = services.meeting_create(
            actor=self.request.user, **serializer.validated_data
        )

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _visible_case(self, case) -> Case:
        # A case named in the body must be visible to the caller (no probing by id).
        return get_object_or_404(Case.objects.visible_to(self.request.user), pk=case.pk)

    @extend_schema(request=AgendaItemSerializer, responses=AgendaItemSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=AgendaItemSerializer)
    def agenda(self, request, pk=None):
        """The agenda; staff add items (the case moves on in its workflow)."""
        meeting = self.get_object()
        if request.method == "POST":
            data = self._input(AgendaItemSerializer)
            if data.get("demand_item") is not None:
                item = services.agenda_add_demand_item(
                    meeting=meeting,
                    demand_item=data["demand_item"],
                    note=data.get("note", ""),
                    actor=request.user,
                )
            else:
                item = services.agenda_add(
                    meeting=meeting,
                    case=self._visible_case(data["case"]),
                    kind=data["kind"],
                    note=data.get("note", ""),
                    actor=request.user,
                )
            return Response(AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)
        items = meeting.agenda.select_related("case", "demand_item", "decision").order_by("id")
        return Response(AgendaItemSerializer(items, many=True).data)

    @extend_schema(request=DecisionSerializer, responses=DecisionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=DecisionSerializer)
    def decisions(self, request, pk=None):
        """One decision per agenda item; changeable until the minutes are approved."""
        meeting = self.get_object()
        if request.method == "POST":
            data = self._input(DecisionSerializer)
            decision = services.decision_record(meeting=meeting, actor=request.user, **data)
            return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
        decisions = Decision.objects.filter(agenda_item__meeting=meeting).order_by("agenda_item_id")
        return Response(DecisionSerializer(decisions, many=True).data)

    @extend_schema(request=ApproveMinutesSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="approve-minutes")
    def approve_minutes(self, request, pk=None):
        """Apply every decision at once (ledger, case statuses); the minutes apply once."""
        meeting = self.get_object()
        data = self._input(ApproveMinutesSerializer)
        meeting = services.minutes_approve(meeting=meeting, actor=request.user, **data)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(request=OpinionSerializer, responses=OpinionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=OpinionSerializer)
    def opinions(self, request, pk=None):
        """Sub-committee reviewers' opinions on the agenda's cases."""
        meeting = self.get_object()
        if request.method == "POST":
            data = self._input(OpinionSerializer)
            opinion = services.opinion_file(
                meeting=meeting,
                case=data["case"],
                opinion=data["opinion"],
                recommendation=data["recommendation"],
                actor=request.user,
            )
            return Response(OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)
        opinions = meeting.opinions.select_related("reviewer__user").order_by("id")
        if not is_office_staff(request.user):
            opinions = opinions.filter(reviewer__user=request.user)
        return Response(OpinionSerializer(opinions, many=True).data)

    @extend_schema(request=ConflictSerializer, responses=ConflictSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=ConflictSerializer)
    def conflicts(self, request, pk=None):
        """Conflicts of interest declared by the meeting's members."""
        meeting = self.get_object()
        if request.method == "POST":
            data = self._input(ConflictSerializer)
            case, item = data.get("case"), data.get("demand_item")
            on_agenda = case is not None and meeting.agenda.filter(case=case).exists()
            in_round = item is not None and meeting.round_id == item.round_id
            if not (on_agenda or in_round):
                raise PermissionDenied()
            declaration = services.conflict_declare(
                meeting=meeting,
                case=case,
                demand_item=item,
                reason=data["reason"],
                actor=request.user,
            )
            return Response(ConflictSerializer(declaration).data, status=status.HTTP_201_CREATED)
        conflicts = meeting.conflicts.select_related("reviewer__user").order_by("id")
        return Response(ConflictSerializer(conflicts, many=True).data)
