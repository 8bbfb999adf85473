"""API of the program's statistics (api.md "Reports and statistics")."""

from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import selectors
from reports.api.serializers import StatisticsQuerySerializer, StatisticsSerializer

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
