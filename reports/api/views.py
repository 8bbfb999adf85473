"""API of the program's statistics (api.md "Reports and statistics")."""

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import search, selectors, services
from reports.api.serializers import (
    OfficeActivitySerializer,
    ReportJobSerializer,
    SearchResultsSerializer,
    StatisticsQuerySerializer,
    StatisticsSerializer,
)
from reports.files import report_file_response
from reports.models import OfficeActivity

QUERY = [
    OpenApiParameter("year", int, description="A calendar year (default: the latest)."),
    OpenApiParameter("start", str, description="A range's first day (with end)."),
    OpenApiParameter("end", str, description="A range's last day (with start)."),
]


def _query(request) -> dict:
    serializer = StatisticsQuerySerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class StatisticsView(APIView):
    """The program's figures for a year or a range (staff: any agency's or all; a
    procuring agency's members: their own purchases'; anyone else 403)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            *QUERY,
            OpenApiParameter("agency", int, description="One procuring agency (staff)."),
        ],
        responses=StatisticsSerializer,
    )
    def get(self, request):
        query = _query(request)
        agency = selectors.statistics_agency(user=request.user, agency_id=query.pop("agency", None))
        figures = selectors.statistics_for(agency=agency, **query)
        return Response(StatisticsSerializer(figures).data)


class PublicStatisticsView(APIView):
    """The published figures (no login): no fees, no recipients' names."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(parameters=QUERY, responses=StatisticsSerializer)
    def get(self, request):
        query = _query(request)
        if "start" in query:
            figures = selectors.statistics_for(public=True, start=query["start"], end=query["end"])
        else:
            figures = selectors.public_statistics(
                year=query.get("year"), language=get_language() or ""
            )
        return Response(StatisticsSerializer(figures).data)


class ReportJobViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Report jobs (api.md ``/reports/``): your own (the office also the portal's); POST
    asks for one (202, built in the background); ``file/`` downloads it once done."""

    serializer_class = ReportJobSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.report_jobs(user=self.request.user)

    @extend_schema(responses={202: ReportJobSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportJobSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job = services.report_request(
            kind=data["kind"],
            format=data["format"],
            parameters=data.get("parameters") or {},
            actor=request.user,
        )
        return Response(ReportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
        }
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        job = self.get_object()
        return report_file_response(job)


class OfficeActivityViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The office's activity log (staff): what its year-end report counts."""

    serializer_class = OfficeActivitySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema: the model, no rows
            return OfficeActivity.objects.none()
        return selectors.activity_list(user=self.request.user)

    @extend_schema(responses={201: OfficeActivitySerializer})
    def create(self, request, *args, **kwargs):
        serializer = OfficeActivitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.activity_record(actor=request.user, **serializer.validated_data)
        return Response(OfficeActivitySerializer(row).data, status=status.HTTP_201_CREATED)


class SearchView(APIView):
    """The global search (api.md): numbers, titles and names in both languages among the
    records the caller may open, grouped by kind; a query under two characters finds
    nothing (``too_short``); a longer one than 100 is cut."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, description="A number, a title or a name (Chinese or English)."
            )
        ],
        responses=SearchResultsSerializer,
    )
    def get(self, request):
        results = search.search(user=request.user, query=request.query_params.get("q"))
        return Response(SearchResultsSerializer(results).data)
