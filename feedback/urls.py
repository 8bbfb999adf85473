from django.urls import path

from feedback import views

urlpatterns = [
    path("bills/", views.bill_list, name="bill_list"),
    path("bills/<int:pk>/", views.bill_detail, name="bill_detail"),
    path("bills/<int:pk>/notice.pdf", views.bill_pdf, name="bill_pdf"),
    path("bills/<int:pk>/payments/", views.bill_payment, name="bill_payment"),
    path("bills/<int:pk>/waive/", views.bill_waive, name="bill_waive"),
    path("bills/<int:pk>/cancel/", views.bill_cancel, name="bill_cancel"),
    path("penalties/", views.penalty_list, name="penalty_list"),
    path("penalties/<int:pk>/", views.penalty_detail, name="penalty_detail"),
    path("penalties/<int:pk>/payments/", views.penalty_payment, name="penalty_payment"),
    path("penalties/<int:pk>/waive/", views.penalty_waive, name="penalty_waive"),
    path("exchange-rates/", views.exchange_rate_list, name="exchange_rate_list"),
    path("fee-rates/", views.fee_rate_list, name="fee_rate_list"),
]
