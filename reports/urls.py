from django.urls import path

from reports import views

urlpatterns = [
    # A procuring agency's home reads agreements, ledgers and statistics: it lives here.
    path("home/agency/", views.home_agency, name="home_agency"),
    path("statistics/", views.statistics, name="statistics"),
    path("public/statistics/", views.public_statistics, name="public_statistics"),
]
