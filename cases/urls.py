from django.urls import path

from cases import views

urlpatterns = [
    path("cases/<int:pk>/checkpoints/", views.checkpoint_add, name="checkpoint_add"),
    path("cases/<int:pk>/outcomes/", views.outcome_record, name="outcome_record"),
    path(
        "cases/<int:pk>/checkpoints/<int:checkpoint_id>/done/",
        views.checkpoint_done,
        name="checkpoint_done",
    ),
    path(
        "cases/<int:pk>/activities/<int:activity_id>/transfer-completed/",
        views.activity_transfer_completed,
        name="activity_transfer_completed",
    ),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/submit/", views.case_submit, name="case_submit"),
    path(
        "cases/<int:pk>/start-checklist/",
        views.case_start_checklist,
        name="case_start_checklist",
    ),
    path(
        "cases/<int:pk>/checklist/<str:code>/",
        views.checklist_confirm,
        name="case_checklist_confirm",
    ),
    path("cases/<int:pk>/initial-review/", views.case_initial_review, name="case_initial_review"),
    path(
        "cases/<int:pk>/return-for-supplement/",
        views.case_return_for_supplement,
        name="case_return_for_supplement",
    ),
    path(
        "cases/<int:pk>/subcommittee-outcome/",
        views.case_subcommittee_review,
        name="case_subcommittee_review",
    ),
    path("cases/<int:pk>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/assign/", views.case_assign, name="case_assign"),
    path(
        "cases/<int:pk>/request-actual-approval/",
        views.case_request_actual_approval,
        name="case_request_actual_approval",
    ),
    path(
        "cases/<int:pk>/progress-reports/", views.progress_report_file, name="progress_report_file"
    ),
    path("cases/<int:pk>/documents/", views.document_upload, name="case_document_upload"),
    path(
        "cases/<int:pk>/documents/<int:doc_id>/file/",
        views.document_download,
        name="case_document_download",
    ),
]
