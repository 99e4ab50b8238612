from django.urls import path

from terpadu.catalog import views

app_name = "catalog"
urlpatterns = [
    path("layanan/", views.catalog_home, name="home"),
    path("layanan/cari/", views.catalog_search, name="search"),
    path("layanan/instansi/<slug:agency_code>/", views.agency_services, name="agency"),
    path("layanan/kategori/<slug:slug>/", views.category_services, name="category"),
    path("layanan/peristiwa/<slug:slug>/", views.life_event_detail, name="life_event"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("layanan/<slug:code>/cetak/", views.service_print, name="service_print"),
    path("kantor/layanan/", views.office_service_list, name="office_list"),
    path("kantor/layanan/impor/", views.office_import, name="office_import"),
    path("kantor/layanan/ekspor/", views.office_export, name="office_export"),
    path("kantor/layanan/<int:service_id>/", views.office_service_edit, name="office_edit"),
    path(
        "kantor/layanan/<int:service_id>/terbitkan/",
        views.office_service_publish,
        name="office_publish",
    ),
]
