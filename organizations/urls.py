from django.urls import path

from organizations import views

urlpatterns = [
    path("", views.home, name="home"),
    path("home/organization/", views.home_organization, name="home_organization"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path("reviewers/", views.reviewer_list, name="reviewer_list"),
    path("reviewers/new/", views.reviewer_create, name="reviewer_create"),
    path("account/api-keys/", views.api_tokens, name="api_tokens"),
    path("account/api-keys/<str:key>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/open/", views.inbox_open, name="inbox_open"),
]
