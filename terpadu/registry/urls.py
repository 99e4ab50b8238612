from django.urls import path

from terpadu.registry import views

app_name = "registry"
urlpatterns = [
    path("kantor/penduduk/", views.resident_list, name="resident_list"),
    path("kantor/penduduk/<int:resident_id>/", views.resident_detail, name="resident_detail"),
]
