from django.urls import path

from terpadu.applications import views

app_name = "applications"
urlpatterns = [
    path("permohonan/", views.my_list, name="my_list"),
    path("permohonan/baru/", views.service_choice, name="service_choice"),
    path("permohonan/baru/<slug:service_code>/", views.apply, name="apply"),
    path("permohonan/<int:pk>/", views.my_detail, name="my_detail"),
    path("permohonan/<int:pk>/kirim/", views.my_update, name="my_update"),
    path("permohonan/<int:pk>/dokumen.pdf", views.document_pdf, name="document_pdf"),
    path("permohonan/berkas/<int:file_id>/", views.file_view, name="file"),
    path("lacak/permohonan/", views.track, name="track"),
    path("verifikasi/", views.verify_lookup, name="verify_lookup"),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
    path("kantor/permohonan/", views.office_list, name="office_list"),
    path("kantor/permohonan/baru/", views.service_choice, name="office_choice"),
    path("kantor/permohonan/baru/<slug:service_code>/", views.office_new, name="office_new"),
    path("kantor/permohonan/<int:pk>/", views.office_detail, name="office_detail"),
    path("kantor/permohonan/<int:pk>/tindakan/", views.office_transition, name="office_transition"),
    path("kantor/permohonan/<int:pk>/tugaskan/", views.office_assign, name="office_assign"),
    path("kantor/permohonan/<int:pk>/cabut/", views.office_revoke, name="office_revoke"),
]
