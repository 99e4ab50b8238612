from django.urls import path

from terpadu.queueing import views

urlpatterns = [
    path("antrean/", views.hall_list, name="queue_halls"),
    path("antrean/<int:hall_id>/kios/", views.kiosk, name="queue_kiosk"),
    path("antrean/<int:hall_id>/kios/buka/", views.kiosk_unlock, name="queue_kiosk_unlock"),
    path("antrean/<int:hall_id>/kios/checkin/", views.kiosk_checkin, name="queue_kiosk_checkin"),
    path("antrean/<int:hall_id>/papan/", views.board_page, name="queue_board"),
    path("antrean/<int:hall_id>/janji/", views.booking_start, name="queue_booking"),
    path("antrean/janji/<str:token>/", views.booking_detail, name="queue_booking_detail"),
    path("antrean/tiket/<str:token>/", views.ticket_live, name="queue_ticket"),
    path("antrean/tiket/<str:token>/cetak/", views.ticket_print, name="queue_ticket_print"),
    path(
        "antrean/tiket/<str:token>/pemberitahuan/",
        views.ticket_notice,
        name="queue_ticket_notice",
    ),
    path(
        "antrean/tiket/<str:token>/status.json",
        views.ticket_status_json,
        name="queue_ticket_status",
    ),
    path("kantor/antrean/", views.desk_halls, name="queue_desk_halls"),
    path("kantor/antrean/<int:hall_id>/", views.front_desk, name="queue_front_desk"),
    path("kantor/loket/<int:counter_id>/", views.console, name="queue_console"),
    path(
        "kantor/loket/<int:counter_id>/<slug:action>/",
        views.console_action,
        name="queue_console_action",
    ),
]
