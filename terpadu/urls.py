from django.contrib import admin
from django.urls import include, path

from terpadu.accounts.views import home_view
from terpadu.api import api

urlpatterns = [
    path("", include("terpadu.core.urls")),
    path("", include("terpadu.accounts.urls")),
    path("beranda/", home_view, name="home"),
    path("", include("terpadu.registry.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "terpadu.core.views.not_found"
