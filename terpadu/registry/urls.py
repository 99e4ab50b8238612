from django.urls import path

from terpadu.registry import views

app_name = "registry"
urlpatterns = [
    path("kantor/penduduk/", views.resident_list, name="resident_list"),
    path("kantor/penduduk/<int:resident_id>/", views.resident_detail, name="resident_detail"),
    path("kantor/data-terpadu/tinjau/", views.review_list, name="review_list"),
    path("kantor/data-terpadu/tinjau/<int:pair_id>/", views.review_detail, name="review_detail"),
    path("kantor/data-terpadu/orang/<int:person_id>/", views.person_detail, name="person_detail"),
    path("kantor/data-terpadu/log-akses/", views.access_log, name="access_log"),
]
