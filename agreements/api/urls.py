"""Routes of the agreements' API, mounted under /api/v1/ by icp_portal.api."""

from django.urls import path

from agreements.api.views import (
    AgreementViewSet,
    BalanceListView,
    ContractorBalanceView,
    ProcurementViewSet,
)

routes = [
    ("procurements", ProcurementViewSet, "procurement"),
    ("agreements", AgreementViewSet, "agreement"),
]

urlpatterns = [
    path("balances/", BalanceListView.as_view(), name="balance-list"),
    path(
        "organizations/<int:pk>/balance/",
        ContractorBalanceView.as_view(),
        name="organization-balance",
    ),
]
