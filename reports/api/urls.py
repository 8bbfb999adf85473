"""Routes of the reports' API, mounted under /api/v1/ by icp_portal.api."""

from django.urls import path

from reports.api.views import (
    OfficeActivityViewSet,
    PublicStatisticsView,
    ReportJobViewSet,
    SearchView,
    StatisticsView,
)

routes = [
    ("reports", ReportJobViewSet, "report"),
    ("office-activities", OfficeActivityViewSet, "office-activity"),
]
urlpatterns = [
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("public/statistics/", PublicStatisticsView.as_view(), name="public-statistics"),
    path("search/", SearchView.as_view(), name="search"),
]
