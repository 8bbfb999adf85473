"""Routes of the agreements' API, mounted under /api/v1/ by icp_portal.api."""

from django.urls import path

from agreements.api import fast
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
    # Before the router's route of the same path: token calls answered without DRF's
    # per-request machinery, everything else by the action (agreements/api/fast.py).
    path("agreements/<int:pk>/balance/", fast.agreement_balance, name="agreement-balance"),
    path("balances/", BalanceListView.as_view(), name="balance-list"),
    path(
        "organizations/<int:pk>/balance/",
        ContractorBalanceView.as_view(),
        name="organization-balance",
    ),
]
