from django.urls import path

from terpadu.core import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("kantor/instansi/", views.agency_list, name="agency_list"),
    path("kantor/instansi/<int:agency_id>/", views.agency_detail, name="agency_detail"),
]
