"""Sign-in required everywhere in the browser, except pages marked public; state conflicts
under a page become a message."""

from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from icp_portal.lib.errors import Conflict


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
        if not isinstance(exception, Conflict) or request.path_info.startswith("/api/"):
            return None
        messages.error(request, str(exception))
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return redirect(back if back and safe else "home")
