"""Sign-in required everywhere in the browser, except pages marked public; state conflicts
under a page become a message; privacy headers on every response."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import IntegrityError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from icp_portal.lib.errors import Conflict, integrity_message


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, leaving the REST API to DRF.

    The API answers 401 with JSON itself (token or session), so it must not be
    redirected to the HTML sign-in page. Everything else needs a signed-in user unless
    its view is decorated with ``login_not_required``.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class ConflictMessageMiddleware:
    """A service's state conflict (409) under a page is a message on the page the person
    came from, never an error page: the one net under every HTML view (the API answers
    409 itself, through its exception handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path_info.startswith("/api/"):
            return None
        if isinstance(exception, IntegrityError):
            # A unique-constraint race between two identical submissions: a message too.
            messages.error(request, integrity_message(exception))
        elif isinstance(exception, Conflict):
            messages.error(request, str(exception))
        else:
            return None
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(back if back and safe else "home")


class PrivacyHeadersMiddleware:
    """Headers every response carries for the outside security test (issue 10):

    - ``Permissions-Policy``: browser features no page uses (camera, microphone,
      geolocation, payment, USB…) are refused, whatever a page or an injected script asks;
    - ``Cache-Control: private, no-store`` on every response to a signed-in person (pages,
      API, downloads) that did not choose its own, so no shared proxy and no browser back
      button keeps a contractor's credit or a case file. Anonymous public pages (the demand
      item catalogue) stay cacheable.

    Placed after the authentication middleware; the user is read after the view, when DRF
    has put a token's user on the request too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
