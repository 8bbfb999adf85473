"""The REST API's shared parts: the v1 router, pagination and error format (api.md)."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from icp_portal.lib.errors import Conflict, integrity_message


class PortalPagination(PageNumberPagination):
    """``?page=N&page_size=M`` (max 500) → ``{count, next, previous, results}``."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """DRF's handler, plus model validation errors turned into 400 field errors.

    Services raise Django's ``ValidationError``; the API reports it like a serializer
    error so clients see ``{"field": ["message"]}`` or ``{"detail": "message"}``.
    """
    if isinstance(exc, IntegrityError):
        # A unique-constraint race (the same create twice at once): the service's own check
        # passed in both requests and the database refused the second. Nothing was written.
        return Response({"detail": integrity_message(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc), "status": exc.status}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = dict(exc.message_dict)
            if NON_FIELD_ERRORS in errors:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
            exc = ValidationError(errors)
        else:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def api_urlpatterns() -> list:
    """Every app's API: its router ``routes`` and any plain ``urlpatterns``."""
    from agreements.api import urls as agreement_urls
    from cases.api import urls as case_urls
    from committee.api import urls as committee_urls
    from demand_items.api import urls as demand_item_urls
    from feedback.api import urls as feedback_urls
    from organizations.api import urls as organization_urls
    from reports.api import urls as report_urls

    apps = [
        organization_urls,
        agreement_urls,
        case_urls,
        feedback_urls,
        demand_item_urls,
        committee_urls,
        report_urls,
    ]
    router = DefaultRouter()
    router.include_format_suffixes = False
    extra = []
    for module in apps:
        for prefix, viewset, basename in module.routes:
            router.register(prefix, viewset, basename=basename)
        extra += getattr(module, "urlpatterns", [])
    return extra + router.urls
