from django.urls import path

from terpadu.gallery import views

app_name = "gallery"
urlpatterns = [
    path("inovasi/", views.gallery_list, name="list"),
    path("inovasi/<slug:slug>/", views.innovation_detail, name="detail"),
    path("inovasi/<slug:slug>/foto/<int:photo_id>/", views.photo_file, name="photo"),
    path("inovasi/<slug:slug>/dokumen/<int:document_id>/", views.document_file, name="document"),
    path("inovasi/<slug:slug>/poster-<slug:size>.pdf", views.poster_pdf, name="poster"),
    path("inovasi/<slug:slug>/kit.json", views.kit_json, name="kit"),
    path(
        "kantor/inovasi/<int:innovation_id>/proposal.<slug:fmt>",
        views.proposal_file,
        name="proposal",
    ),
    path("kantor/inovasi/", views.office_list, name="office_list"),
    path("kantor/inovasi/baru/", views.office_new, name="office_new"),
    path("kantor/inovasi/<int:innovation_id>/", views.office_edit, name="office_edit"),
    path(
        "kantor/inovasi/<int:innovation_id>/tambah/<slug:what>/",
        views.office_add,
        name="office_add",
    ),
    path(
        "kantor/inovasi/<int:innovation_id>/hapus/<slug:what>/<int:item_id>/",
        views.office_remove,
        name="office_remove",
    ),
]
