from django.urls import path

from agreements import views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("procurements/new/", views.procurement_create, name="procurement_create"),
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
    path(
        "agreements/<int:pk>/ledger/<int:entry_id>/reverse/",
        views.entry_reverse,
        name="entry_reverse",
    ),
]
