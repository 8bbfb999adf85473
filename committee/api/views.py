"""API of meetings: agendas, opinions, conflicts, decisions and approving the minutes."""

from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agreements.models import Agreement
from cases.models import Case
from committee import selectors, services, workflow
from committee.api.serializers import (
    AgendaItemSerializer,
    ApproveMinutesSerializer,
    ConflictSerializer,
    DecisionSerializer,
    FollowUpSerializer,
    MeetingSerializer,
    OpinionSerializer,
    PacketStatusSerializer,
)
from committee.choices import AgendaKind
from committee.filtersets import MeetingFilterSet
from organizations.policy import require_office


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings: promotion committee, industry sub-committees, demand-item panels."""

    lookup_value_regex = r"\d+"
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    ordering_fields = ["held_on", "id"]

    def get_queryset(self):
        # The same selector as the page; DRF applies the same FilterSet (filterset_class).
        return selectors.meeting_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        require_office(request.user)  # the role before the body (403 before any 400)
        return super().create(request, *args, **kwargs)

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

    @extend_schema(methods=["GET"], responses=AgendaItemSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=AgendaItemSerializer, responses={201: AgendaItemSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=AgendaItemSerializer,
        filter_backends=[],
    )
    def agenda(self, request, pk=None):
        """The agenda; staff add items (the case moves on in its workflow)."""
        meeting = self.get_object()
        if request.method == "POST":
            workflow.check(meeting, "add_agenda_item", request.user)
            data = self._input(AgendaItemSerializer)
            if data.get("agreement") is not None:
                item = services.agenda_add_agreement(
                    meeting=meeting,
                    agreement=get_object_or_404(
                        Agreement.objects.visible_to(request.user), pk=data["agreement"].pk
                    ),
                    note=data.get("note", ""),
                    actor=request.user,
                )
            elif data.get("kind") == AgendaKind.STEERING_REQUEST:
                item = services.agenda_add_request(
                    meeting=meeting,
                    subject=data["subject"],
                    requested_by=data.get("requested_by", ""),
                    note=data.get("note", ""),
                    actor=request.user,
                )
            elif data.get("demand_item") is not None:
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
        items = selectors.meeting_agenda(meeting=meeting)
        page = self.paginate_queryset(items)
        return self.get_paginated_response(AgendaItemSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=DecisionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=DecisionSerializer, responses={201: DecisionSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=DecisionSerializer,
        filter_backends=[],
    )
    def decisions(self, request, pk=None):
        """One decision per agenda item; changeable until the minutes are approved."""
        meeting = self.get_object()
        if request.method == "POST":
            workflow.check(meeting, "record_decision", request.user)
            data = self._input(DecisionSerializer)
            decision = services.decision_record(meeting=meeting, actor=request.user, **data)
            return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)
        decisions = selectors.meeting_decisions(meeting=meeting)
        page = self.paginate_queryset(decisions)
        return self.get_paginated_response(DecisionSerializer(page, many=True).data)

    @extend_schema(responses=FollowUpSerializer(many=True))
    @action(
        detail=True,
        methods=["get"],
        url_path="follow-ups",
        serializer_class=FollowUpSerializer,
        filter_backends=[],
    )
    def follow_ups(self, request, pk=None):
        """The follow-up of this steering meeting's resolutions (會後管制)."""
        meeting = self.get_object()
        page = self.paginate_queryset(selectors.meeting_follow_ups(meeting=meeting))
        return self.get_paginated_response(FollowUpSerializer(page, many=True).data)

    @extend_schema(request=FollowUpSerializer, responses=FollowUpSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"follow-ups/(?P<follow_up_id>\d+)",
        serializer_class=FollowUpSerializer,
        filter_backends=[],
    )
    def follow_up(self, request, pk=None, follow_up_id=None):
        """Record what was done about a resolution; with ``carried_out_on``, carried out."""
        meeting = self.get_object()
        follow_up = get_object_or_404(
            selectors.meeting_follow_ups(meeting=meeting), pk=follow_up_id
        )
        workflow.check(meeting, "follow_up", request.user)
        data = self._input(FollowUpSerializer)
        follow_up = services.resolution_follow_up(
            follow_up=follow_up,
            progress=data["progress"],
            carried_out_on=data.get("carried_out_on"),
            actor=request.user,
        )
        return Response(FollowUpSerializer(follow_up).data)

    @extend_schema(request=ApproveMinutesSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="approve-minutes", filter_backends=[])
    def approve_minutes(self, request, pk=None):
        """Apply every decision at once (ledger, case statuses); the minutes apply once."""
        meeting = self.get_object()
        workflow.check(meeting, "approve_minutes", request.user)
        data = self._input(ApproveMinutesSerializer)
        meeting = services.minutes_approve(meeting=meeting, actor=request.user, **data)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="mark-held")
    def mark_held(self, request, pk=None):
        """Record that the meeting took place (planned → held)."""
        meeting = services.meeting_mark_held(meeting=self.get_object(), actor=request.user)
        return Response(MeetingSerializer(meeting).data)

    @extend_schema(methods=["GET"], responses=OpinionSerializer(many=True))
    @extend_schema(methods=["POST"], request=OpinionSerializer, responses={201: OpinionSerializer})
    @action(
        detail=True, methods=["get", "post"], serializer_class=OpinionSerializer, filter_backends=[]
    )
    def opinions(self, request, pk=None):
        """Sub-committee reviewers' opinions on the agenda's cases."""
        meeting = self.get_object()
        if request.method == "POST":
            workflow.check(meeting, "file_opinion", request.user)
            data = self._input(OpinionSerializer)
            opinion = services.opinion_file(
                meeting=meeting,
                case=data["case"],
                opinion=data["opinion"],
                recommendation=data["recommendation"],
                actor=request.user,
            )
            return Response(OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)
        opinions = selectors.meeting_opinions(meeting=meeting, user=request.user)
        page = self.paginate_queryset(opinions)
        return self.get_paginated_response(OpinionSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=ConflictSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ConflictSerializer, responses={201: ConflictSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=ConflictSerializer,
        filter_backends=[],
    )
    def conflicts(self, request, pk=None):
        """Conflicts of interest declared by the meeting's members."""
        meeting = self.get_object()
        if request.method == "POST":
            workflow.check(meeting, "declare_conflict", request.user)
            data = self._input(ConflictSerializer)
            declaration = services.conflict_declare(
                meeting=meeting,
                case=data.get("case"),
                demand_item=data.get("demand_item"),
                reason=data["reason"],
                actor=request.user,
            )
            return Response(ConflictSerializer(declaration).data, status=status.HTTP_201_CREATED)
        conflicts = selectors.meeting_conflicts(meeting=meeting, user=request.user)
        page = self.paginate_queryset(conflicts)
        return self.get_paginated_response(ConflictSerializer(page, many=True).data)

    def _packet_status(self, meeting, code=status.HTTP_200_OK) -> Response:
        data = PacketStatusSerializer(selectors.packet_status(meeting=meeting)).data
        return Response(data, status=code)

    @extend_schema(methods=["GET"], responses=PacketStatusSerializer)
    @extend_schema(methods=["POST"], request=None, responses={202: PacketStatusSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=PacketStatusSerializer,
        filter_backends=[],
    )
    def packet(self, request, pk=None):
        """The meeting packet (會議資料): its latest version's status; staff POST builds a
        new version in the background (202; a build already queued or running is kept)."""
        meeting = self.get_object()
        if request.method == "POST":
            services.packet_build(meeting=meeting, actor=request.user)
            return self._packet_status(meeting, status.HTTP_202_ACCEPTED)
        return self._packet_status(meeting)

    @extend_schema(request=None, responses=PacketStatusSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="packet/finalize",
        serializer_class=PacketStatusSerializer,
        filter_backends=[],
    )
    def packet_finalize(self, request, pk=None):
        """Mark the latest build final and send it to every member; 409 while it is
        stale, failed or not built."""
        meeting = self.get_object()
        services.packet_finalize_latest(meeting=meeting, actor=request.user)
        return self._packet_status(meeting)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "version", int, description="An earlier version (staff only).", required=False
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="The member's copy is being prepared."),
        },
    )
    @action(detail=True, methods=["get"], url_path="packet/pdf", filter_backends=[])
    def packet_pdf(self, request, pk=None) -> HttpResponse:
        """The packet as PDF: staff the full packet, a member their own copy (their name
        on every page, items they declared a conflict on withheld)."""
        from committee.pdf import packet_pdf_for

        meeting = self.get_object()
        packet, content = packet_pdf_for(
            meeting=meeting, user=request.user, version=request.query_params.get("version")
        )
        return FileResponse(
            content,
            content_type="application/pdf",
            as_attachment=False,
            filename=f"packet-{meeting.year}-{meeting.number}-v{packet.version}.pdf",
        )
