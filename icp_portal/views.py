"""The portal's error pages: JSON under the REST API, the portal's templates elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def page_not_found(request, exception):
    """``handler404``: an unknown URL under ``/api/`` answers ``{"detail": ...}`` like every
    other API error (api.md), a page answers templates/404.html."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """``handler500``: an unhandled error under ``/api/`` is a JSON 500, never an HTML page.
    Neither answer touches the database or the signed-in user, which may be what failed."""
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    return defaults.server_error(request)
