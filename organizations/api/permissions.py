"""API permissions shared by every app's viewsets."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from organizations.models import ApiToken, is_office_staff


class ReadOnlyTokenPermission(BasePermission):
    """A read-only API token gets 403 on every unsafe method."""

    message = _("This API token is read-only.")

    def has_permission(self, request, view):
        token = request.auth
        if isinstance(token, ApiToken) and token.read_only:
            return request.method in SAFE_METHODS
        return True


class StaffWritePermission(BasePermission):
    """Everyone who may see a row may read it; only the ICP office writes."""

    message = _("Only ICP office staff may change this.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or is_office_staff(request.user):
            return True
        # On one object, decide once it is found among the caller's visible rows: another
        # tenant's object is 404, never a 403 that confirms it exists.
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        return lookup in getattr(view, "kwargs", {})

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or is_office_staff(request.user)
