from django.urls import path

from terpadu.outreach import views

urlpatterns = [
    path("lapangan/", views.worklist, name="outreach_worklist"),
    path("lapangan/kasus/<int:case_id>/", views.case_detail, name="outreach_case"),
    path("lapangan/kasus/<int:case_id>/status/", views.case_status, name="outreach_case_status"),
    path("lapangan/kasus/<int:case_id>/tugaskan/", views.case_assign, name="outreach_case_assign"),
    path("lapangan/kasus/<int:case_id>/tingkat/", views.case_level, name="outreach_case_level"),
    path("lapangan/kasus/<int:case_id>/catatan/", views.case_note, name="outreach_case_note"),
    path("lapangan/kasus/<int:case_id>/kspr/", views.case_kspr, name="outreach_case_kspr"),
    path("lapangan/kasus/<int:case_id>/bantuan/", views.case_support, name="outreach_case_support"),
    path("lapangan/tugas/<int:task_id>/selesai/", views.task_done, name="outreach_task_done"),
    path("lapangan/foto/<int:photo_id>/", views.visit_photo, name="outreach_visit_photo"),
    path(
        "lapangan/laporan/<int:report_id>/foto/", views.report_photo, name="outreach_report_photo"
    ),
    path("program/", views.programme_list, name="outreach_programmes"),
    path("program/<slug:code>/", views.programme_report, name="outreach_programme"),
    path("lapor/", views.reporter_page, name="outreach_reporter"),
    path("garda-ampuh/lapor/", views.garda_report, name="outreach_garda_report"),
    path("lapor/sw.js", views.reporter_service_worker, name="outreach_reporter_sw"),
    path("farmasi/", views.pharmacy, name="outreach_pharmacy"),
    path(
        "farmasi/resep/<int:prescription_id>/kirim/",
        views.pharmacy_dispatch,
        name="outreach_pharmacy_dispatch",
    ),
    path(
        "farmasi/kirim/<int:dispatch_id>/ulang/",
        views.pharmacy_retry,
        name="outreach_pharmacy_retry",
    ),
]
