from django.urls import path

from terpadu.surveys import views

app_name = "surveys"
urlpatterns = [
    path("survei/", views.survey_index, name="index"),
    path("survei/isi/<slug:agency_code>/", views.survey_form, name="form"),
    path("survei/isi/<slug:agency_code>/terima-kasih/", views.survey_thanks, name="thanks"),
    path("survei/hasil/", views.survey_report, name="report"),
    path("survei/hasil.xlsx", views.survey_report_xlsx, name="report_xlsx"),
    path("kantor/survei/<slug:agency_code>/rencana/", views.plan_create, name="plan_create"),
    path("kantor/survei/rencana/<int:plan_id>/umumkan/", views.plan_publish, name="plan_publish"),
]
