from django.urls import path

from reports import views

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("public/statistics/", views.public_statistics, name="public_statistics"),
]
