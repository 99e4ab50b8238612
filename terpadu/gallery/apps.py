from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "terpadu.gallery"
    label = "gallery"
    verbose_name = "Galeri inovasi"
