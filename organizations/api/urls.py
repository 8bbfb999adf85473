"""Routes of the parties' API, mounted under /api/v1/ by icp_portal.api."""

from organizations.api.views import NotificationViewSet, OrganizationViewSet, ReviewerViewSet

routes = [
    ("organizations", OrganizationViewSet, "organization"),
    ("reviewers", ReviewerViewSet, "reviewer"),
    ("notifications", NotificationViewSet, "notification"),
]
