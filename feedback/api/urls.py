"""Routes of the feedback-fee API, mounted under /api/v1/ by icp_portal.api."""

from feedback.api.views import BillViewSet, ExchangeRateViewSet, FeeRateViewSet, PenaltyViewSet

routes = [
    ("exchange-rates", ExchangeRateViewSet, "exchange-rate"),
    ("fee-rates", FeeRateViewSet, "fee-rate"),
    ("bills", BillViewSet, "bill"),
    ("penalties", PenaltyViewSet, "penalty"),
]
