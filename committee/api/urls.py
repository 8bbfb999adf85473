"""Routes of the committee's API, mounted under /api/v1/ by icp_portal.api."""

from committee.api.views import MeetingViewSet

routes = [("meetings", MeetingViewSet, "meeting")]
