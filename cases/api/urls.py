"""Routes of the cases' API, mounted under /api/v1/ by icp_portal.api."""

from cases.api.views import CaseViewSet

routes = [("cases", CaseViewSet, "case")]
