"""Routes of the demand items' API, mounted under /api/v1/ by icp_portal.api."""

from django.urls import path

from demand_items.api.views import (
    CallRoundViewSet,
    DemandItemViewSet,
    PublicDemandItemDetail,
    PublicDemandItemList,
)

routes = [
    ("call-rounds", CallRoundViewSet, "call-round"),
    ("demand-items", DemandItemViewSet, "demand-item"),
]

urlpatterns = [
    path("public/demand-items/", PublicDemandItemList.as_view(), name="public-demand-item-list"),
    path(
        "public/demand-items/<int:pk>/",
        PublicDemandItemDetail.as_view(),
        name="public-demand-item-detail",
    ),
]
