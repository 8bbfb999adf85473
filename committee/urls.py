from django.urls import path

from committee import views

urlpatterns = [
    # The reviewer's home lives with the meetings it is about (committee reads the rest).
    path("home/reviewer/", views.home_reviewer, name="home_reviewer"),
    path("meetings/<int:pk>/demand-items/", views.demand_review_add, name="demand_review_add"),
    path(
        "meetings/<int:pk>/demand-items/<int:item_id>/decision/",
        views.demand_review_decide,
        name="demand_review_decide",
    ),
    path("meetings/<int:pk>/shortfalls/", views.shortfall_add, name="meeting_shortfall_add"),
    path("meetings/<int:pk>/requests/", views.steering_request_add, name="meeting_request_add"),
    path(
        "meetings/<int:pk>/follow-ups/<int:follow_up_id>/",
        views.follow_up_record,
        name="meeting_follow_up",
    ),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="meeting_agenda_add"),
    path(
        "meetings/<int:pk>/agenda/<int:item_id>/decision/",
        views.decision_record,
        name="meeting_decision_record",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_id>/conflict/",
        views.conflict_declare,
        name="meeting_conflict_declare",
    ),
    path(
        "meetings/<int:pk>/agenda/<int:item_id>/opinion/",
        views.opinion_file,
        name="meeting_opinion_file",
    ),
    path("meetings/<int:pk>/held/", views.meeting_mark_held, name="meeting_mark_held"),
    path("meetings/<int:pk>/packet/", views.packet_build, name="meeting_packet_build"),
    path(
        "meetings/<int:pk>/packet/finalize/",
        views.packet_finalize,
        name="meeting_packet_finalize",
    ),
    path("meetings/<int:pk>/packet/pdf/", views.packet_download, name="meeting_packet_pdf"),
    path("meetings/<int:pk>/minutes/", views.minutes_approve, name="meeting_minutes_approve"),
]
