"""URLs of the portal: pages, sign-in, the REST API v1 and its schema and docs."""

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from icp_portal.api import api_urlpatterns
from organizations import views as organization_views

# JSON under /api/, the portal's templates elsewhere (icp_portal/views.py).
handler404 = "icp_portal.views.page_not_found"
handler500 = "icp_portal.views.server_error"

# Swagger UI (vendored by drf-spectacular-sidecar) under the Content-Security-Policy: its
# start-up script is served as a file (the split view), and only this page lets in the
# inline <style> of drf-spectacular's template.
api_docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path(
        "accounts/login/",
        login_not_required(organization_views.LoginView.as_view()),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/set-password/<uidb64>/<token>/",
        login_not_required(organization_views.SetPasswordView.as_view()),
        name="set_password",
    ),
    path(
        "accounts/set-password/done/",
        login_not_required(organization_views.SetPasswordDoneView.as_view()),
        name="set_password_done",
    ),
    path("i18n/setlang/", organization_views.switch_language, name="set_language"),
    path("healthz", organization_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urlpatterns())),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", api_docs_view, name="swagger-ui"),
    path("", include("agreements.urls")),
    path("", include("cases.urls")),
    path("", include("committee.urls")),
    path("", include("demand_items.urls")),
    path("", include("feedback.urls")),
    path("", include("organizations.urls")),
    path("", include("reports.urls")),
]
