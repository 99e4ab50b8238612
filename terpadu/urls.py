from django.contrib import admin
from django.urls import include, path

from terpadu.accounts.views import home_view
from terpadu.api import api
from terpadu.core.discovery import app_modules

urlpatterns = [
    path("beranda/", home_view, name="home"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
# Every Terpadu app with a urls.py (core, accounts, registry, catalog, ...), mounted at the root.
urlpatterns += [
    path("", include(f"terpadu.{label}.urls")) for label, _module in app_modules("urls")
]

handler404 = "terpadu.core.views.not_found"
