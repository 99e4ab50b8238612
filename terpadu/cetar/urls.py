from django.urls import path

from terpadu.cetar import views

app_name = "cetar"
urlpatterns = [
    path("cetar/", views.dashboard, name="dashboard"),
    path("cetar/indikator/<slug:indicator_id>/", views.indicator_page, name="indicator"),
    path("cetar/indikator/<slug:indicator_id>.csv", views.indicator_csv, name="indicator_csv"),
    path("cetar/provinsi/", views.province, name="province"),
    path("cetar/internal/", views.internal, name="internal"),
    path("cetar/data/", views.data_index, name="data"),
    path("cetar/data.json", views.data_catalog, name="data_catalog"),
    path("cetar/data/kamus.json", views.data_dictionary, name="data_dictionary"),
    path("cetar/data/<slug:dataset_id>.csv", views.data_download, {"fmt": "csv"}, name="data_csv"),
    path(
        "cetar/data/<slug:dataset_id>.json", views.data_download, {"fmt": "json"}, name="data_json"
    ),
    path("cetar/laporan/<int:agency_id>/<str:month>.pdf", views.report_pdf, name="report"),
]
