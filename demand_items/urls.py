from django.urls import path

from demand_items import views

urlpatterns = [
    path("demand-items/", views.item_list, name="demand_item_list"),
    path("demand-items/new/", views.item_create, name="demand_item_create"),
    path("demand-items/<int:pk>/", views.item_detail, name="demand_item_detail"),
    path("demand-items/<int:pk>/edit/", views.item_edit, name="demand_item_edit"),
    path("demand-items/<int:pk>/submit/", views.item_submit, name="demand_item_submit"),
    path("demand-items/<int:pk>/score/", views.item_score, name="demand_item_score"),
    path("demand-items/<int:pk>/hold/", views.item_hold, name="demand_item_hold"),
    path("demand-items/<int:pk>/publish/", views.item_publish, name="demand_item_publish"),
    path("call-rounds/", views.round_dashboard, name="call_round_list"),
    path(
        "call-rounds/<int:pk>/close-scoring/",
        views.round_close_scoring,
        name="call_round_close_scoring",
    ),
    path("public/demand-items/", views.public_list, name="public_demand_item_list"),
    path("public/demand-items/<int:pk>/", views.public_detail, name="public_demand_item_detail"),
]
