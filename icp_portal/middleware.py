"""Sign-in required everywhere in the browser, except pages marked public."""

from django.contrib.auth.middleware import LoginRequiredMiddleware


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
