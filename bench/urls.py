"""The portal's URLs plus the floor: minimal views with one hand-written SQL aggregate."""

from django.urls import path

from bench import floor
from icp_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/floor/balances/", floor.balances),
    path("bench/floor/agreements/<int:pk>/balance/", floor.agreement_balance),
    *portal_urlpatterns,
]
