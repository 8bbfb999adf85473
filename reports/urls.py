from django.urls import path

from reports import views

urlpatterns = [
    # A procuring agency's home reads agreements, ledgers and statistics: it lives here.
    path("home/agency/", views.home_agency, name="home_agency"),
    # The office's home is its work queue, read from every app: it lives here too.
    path("home/office/", views.home_office, name="home_office"),
    path("home/contractor/", views.home_contractor, name="home_contractor"),
    path("home/recipient/", views.home_recipient, name="home_recipient"),
    path("home/proposer/", views.home_proposer, name="home_proposer"),
    path("statistics/", views.statistics, name="statistics"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/file/", views.report_download, name="report_download"),
    path("office-activities/", views.activity_list, name="activity_list"),
    path(
        "cases/<int:pk>/letters/<int:letter_id>/",
        views.decision_letter,
        name="decision_letter",
    ),
    path("public/statistics/", views.public_statistics, name="public_statistics"),
    path("search/", views.search, name="search"),
]
