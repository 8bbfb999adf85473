"""URLs of the portal: pages, sign-in, the REST API v1 and its schema and docs."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from icp_portal.api import api_urlpatterns
from organizations import views as organization_views

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
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("", include("agreements.urls")),
    path("", include("cases.urls")),
    path("", include("committee.urls")),
    path("", include("demand_items.urls")),
    path("", include("feedback.urls")),
    path("", include("organizations.urls")),
]
