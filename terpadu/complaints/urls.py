from django.urls import include, path

from terpadu.complaints import views

app_name = "complaints"
urlpatterns = [
    path("pengaduan/", views.public_list, name="public_list"),
    path("pengaduan/baru/", views.complaint_new, name="new"),
    path("pengaduan/<int:complaint_id>/", views.public_detail, name="public_detail"),
    path("pengaduan/lacak/", views.track_lookup, name="track_lookup"),
    path("pengaduan/lacak/<str:code>/", views.track, name="track"),
    path("pengaduan/lacak/<str:code>/selesai/", views.track_confirm, name="track_confirm"),
    path("pengaduan/lacak/<str:code>/buka-kembali/", views.track_reopen, name="track_reopen"),
    path("pengaduan/lacak/<str:code>/foto/<int:photo_id>/", views.track_photo, name="track_photo"),
    path("kantor/pengaduan/", views.office_list, name="office_list"),
    path("kantor/pengaduan/baru/", views.office_new, name="office_new"),
    path("kantor/pengaduan/ekspor.csv", views.office_export, name="office_export"),
    path("kantor/pengaduan/foto/<int:photo_id>/", views.office_photo, name="office_photo"),
    path("kantor/pengaduan/<int:complaint_id>/", views.office_detail, name="office_detail"),
    path(
        "kantor/pengaduan/<int:complaint_id>/disposisi/",
        views.office_dispose,
        name="office_dispose",
    ),
    path("kantor/pengaduan/<int:complaint_id>/tolak/", views.office_reject, name="office_reject"),
    path(
        "kantor/pengaduan/<int:complaint_id>/tanggapi/", views.office_answer, name="office_answer"
    ),
    path("kantor/pengaduan/<int:complaint_id>/gabung/", views.office_merge, name="office_merge"),
    path("open311/v2/", include("terpadu.complaints.open311.urls")),
]
