from django.urls import path

from agreements import pipeline_views, views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("procurements/new/", views.procurement_create, name="procurement_create"),
    path("procurements/", pipeline_views.procurement_list, name="procurement_list"),
    path("procurements/<int:pk>/", pipeline_views.procurement_detail, name="procurement_detail"),
    path(
        "procurements/<int:pk>/<slug:action>/",
        pipeline_views.procurement_act,
        name="procurement_act",
    ),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "agreements/<int:pk>/ledger.xlsx", views.agreement_ledger_xlsx, name="agreement_ledger_xlsx"
    ),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:pk>/obligation/",
        views.agreement_amend_obligation,
        name="agreement_amend_obligation",
    ),
    path("agreements/<int:pk>/multipliers/add/", views.multiplier_add, name="multiplier_add"),
    path("agreements/<int:pk>/plan-items/add/", views.plan_item_add, name="plan_item_add"),
    path("agreements/<int:pk>/briefings/add/", views.briefing_add, name="briefing_add"),
    path("agreements/<int:pk>/guarantees/add/", views.guarantee_add, name="guarantee_add"),
    path(
        "agreements/<int:pk>/guarantees/<int:guarantee_id>/release/",
        views.guarantee_release,
        name="guarantee_release",
    ),
    path(
        "agreements/<int:pk>/guarantees/<int:guarantee_id>/call/",
        views.guarantee_call,
        name="guarantee_call",
    ),
    path("agreements/<int:pk>/close/", views.agreement_close, name="agreement_close"),
    path(
        "agreements/<int:pk>/ledger/<int:entry_id>/reverse/",
        views.entry_reverse,
        name="entry_reverse",
    ),
]
