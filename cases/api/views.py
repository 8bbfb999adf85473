"""API of cases: the same services as the pages; visibility by queryset (404 outside)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from cases import selectors, services, workflow
from cases.api.serializers import (
    AssignSerializer,
    CaseSerializer,
    ChecklistItemSerializer,
    CheckpointDoneSerializer,
    CheckpointSerializer,
    DocumentSerializer,
    EventSerializer,
    InitialReviewSerializer,
    OutcomeSerializer,
    ProgressReportSerializer,
    SubcommitteeReviewSerializer,
    SupplementSerializer,
    TransferCompletedSerializer,
    WithdrawSerializer,
)
from cases.filtersets import CaseFilterSet
from cases.models import Case


def _activities(data) -> list[dict]:
    return [
        {
            "mode": row["mode"],
            "recipient": row["recipient"],
            "value": row["value"],
            "requested_multiplier": row["requested_multiplier"],
        }
        for row in data
    ]


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases (工業合作個案). Contractors file and follow their own; the office reviews;
    the committee decides through meetings (see /meetings/)."""

    lookup_value_regex = r"\d+"
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    ordering_fields = ["submitted_at", "number", "id", "status"]

    def get_queryset(self):
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("agreement")
            .prefetch_related("activities")
            .order_by("id")
        )

    def _case(self, action: str | None = None) -> Case:
        """The case (404 outside the caller's scope); for an action, the workflow's answer
        comes before the body is read: not yours (403), then not now (409)."""
        case = self.get_object()
        if action is not None:
            workflow.check(case, action, self.request.user)
        return case

    def create(self, request, *args, **kwargs):
        workflow.require_filer(request.user)  # the role before the body (403 before any 400)
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        agreement = data.pop("agreement")
        serializer.instance = services.case_create(
            agreement=agreement,
            actor=self.request.user,
            activities=_activities(data.pop("activities")),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        activities = data.pop("activities", None)
        serializer.instance = services.case_update(
            case=serializer.instance,
            actor=self.request.user,
            activities=_activities(activities) if activities is not None else None,
            **data,
        )

    def _done(self, case, code=status.HTTP_200_OK):
        case = Case.objects.prefetch_related("activities").get(pk=case.pk)
        return Response(CaseSerializer(case).data, status=code)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """The contractor submits the case for pre-approval."""
        return self._done(services.case_submit(case=self._case("submit"), actor=request.user))

    @extend_schema(request=AssignSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The office gives the case to one of its members to handle (承辦人)."""
        case = self._case("assign")
        data = self._input(AssignSerializer)
        return self._done(
            services.case_assign(case=case, assignee=data["assignee"], actor=request.user)
        )

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="start-checklist")
    def start_checklist(self, request, pk=None):
        case = self._case("start_checklist")
        return self._done(services.case_start_checklist(case=case, actor=request.user))

    @extend_schema(request=SupplementSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="return-for-supplement")
    def return_for_supplement(self, request, pk=None):
        case = self._case("return_for_supplement")
        data = self._input(SupplementSerializer)
        return self._done(
            services.case_return_for_supplement(case=case, actor=request.user, **data)
        )

    @extend_schema(request=InitialReviewSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="initial-review")
    def initial_review(self, request, pk=None):
        case = self._case("initial_review")
        data = self._input(InitialReviewSerializer)
        return self._done(services.case_initial_review(case=case, actor=request.user, **data))

    @extend_schema(request=SubcommitteeReviewSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="subcommittee-review")
    def subcommittee_review(self, request, pk=None):
        case = self._case("subcommittee_pass")
        data = self._input(SubcommitteeReviewSerializer)
        return self._done(services.case_subcommittee_review(case=case, actor=request.user, **data))

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="request-actual-approval")
    def request_actual_approval(self, request, pk=None):
        return self._done(
            services.case_request_actual_approval(
                case=self._case("request_actual_approval"), actor=request.user
            )
        )

    @extend_schema(request=WithdrawSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        case = self._case("withdraw")
        data = self._input(WithdrawSerializer)
        return self._done(services.case_withdraw(case=case, actor=request.user, **data))

    @extend_schema(methods=["GET"], responses=ProgressReportSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ProgressReportSerializer,
        responses={201: ProgressReportSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="progress-reports",
        serializer_class=ProgressReportSerializer,
        filter_backends=[],  # the cases' filters are not this list's
    )
    def progress_reports(self, request, pk=None):
        """Quarterly progress reports (每季進度報告)."""
        case = self._case("file_progress_report" if request.method == "POST" else None)
        if request.method == "POST":
            data = self._input(ProgressReportSerializer)
            report = services.progress_report_file(case=case, actor=request.user, **data)
            return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(case.progress_reports.select_related("filed_by"))
        return self.get_paginated_response(ProgressReportSerializer(page, many=True).data)

    @extend_schema(request=ChecklistItemSerializer, responses=ChecklistItemSerializer(many=True))
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=ChecklistItemSerializer,
        # The fixed set of requirements, always whole: a plain array, not a page.
        filter_backends=[],
        pagination_class=None,
    )
    def checklist(self, request, pk=None):
        """The basic requirements checklist; staff confirm an item with POST."""
        case = self._case("confirm_checklist" if request.method == "POST" else None)
        if request.method == "POST":
            data = self._input(ChecklistItemSerializer)
            services.checklist_confirm(case=case, actor=request.user, **data)
        return Response(ChecklistItemSerializer(selectors.checklist(case=case), many=True).data)

    @extend_schema(request=TransferCompletedSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="transfer-completed")
    def transfer_completed(self, request, pk=None):
        """Record when a technology transfer finished (the 2-year export restriction)."""
        case = self._case("record_transfer_completion")
        data = self._input(TransferCompletedSerializer)
        activity = get_object_or_404(case.activities, pk=data["activity"])
        services.activity_record_transfer_completion(
            activity=activity, completed_on=data["completed_on"], actor=request.user
        )
        return self._done(case)

    @extend_schema(methods=["GET"], responses=CheckpointSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CheckpointSerializer, responses={201: CheckpointSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=CheckpointSerializer,
        filter_backends=[],
    )
    def checkpoints(self, request, pk=None):
        """Checkpoints (查核點) over the case's schedule."""
        case = self._case("add_checkpoint" if request.method == "POST" else None)
        if request.method == "POST":
            data = self._input(CheckpointSerializer)
            row = services.checkpoint_add(case=case, actor=request.user, **data)
            return Response(CheckpointSerializer(row).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(case.checkpoints.order_by("due_on", "id"))
        return self.get_paginated_response(CheckpointSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=OutcomeSerializer(many=True))
    @extend_schema(methods=["POST"], request=OutcomeSerializer, responses={201: OutcomeSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=OutcomeSerializer,
        filter_backends=[],
    )
    def outcomes(self, request, pk=None):
        """What the case brought (domain.md §14), recorded at its actual approval and
        revisited at one and three years; POST (the office) records or corrects a stage."""
        case = self._case("record_outcome" if request.method == "POST" else None)
        if request.method == "POST":
            data = self._input(OutcomeSerializer)
            row = services.outcome_record(case=case, actor=request.user, **data)
            return Response(OutcomeSerializer(row).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(selectors.case_outcomes(case=case))
        return self.get_paginated_response(OutcomeSerializer(page, many=True).data)

    @extend_schema(request=CheckpointDoneSerializer, responses=CheckpointSerializer)
    @action(detail=True, methods=["post"], url_path=r"checkpoints/(?P<checkpoint_id>\d+)/done")
    def checkpoint_done(self, request, pk=None, checkpoint_id=None):
        checkpoint = get_object_or_404(
            self._case("complete_checkpoint").checkpoints, pk=checkpoint_id
        )
        data = self._input(CheckpointDoneSerializer)
        row = services.checkpoint_complete(checkpoint=checkpoint, actor=request.user, **data)
        return Response(CheckpointSerializer(row).data)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=EventSerializer, filter_backends=[])
    def events(self, request, pk=None):
        """The case's history: who, when, from → to, note."""
        page = self.paginate_queryset(selectors.case_events(case=self._case()))
        return self.get_paginated_response(EventSerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=DocumentSerializer, responses={201: DocumentSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=DocumentSerializer,
        parser_classes=[MultiPartParser],
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        """PDF documents of the case (multipart upload: kind, activity, file)."""
        case = self._case("upload_document" if request.method == "POST" else None)
        if request.method == "POST":
            serializer = DocumentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            document = services.document_upload(
                case=case,
                kind=data["kind"],
                upload=data["file"],
                activity=data.get("activity"),
                actor=request.user,
            )
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(
            selectors.case_documents(case=case, user=request.user).order_by("id")
        )
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"documents/(?P<document_id>\d+)/file",
        url_name="document-file",
        filter_backends=[],
    )
    def document_file(self, request, pk=None, document_id=None):
        """Download a document: only for people who can see the case."""
        documents = selectors.case_documents(case=self._case(), user=request.user)
        document = get_object_or_404(documents, pk=document_id)
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type="application/pdf",
        )
