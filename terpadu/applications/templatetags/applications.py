"""Template filters of the application pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter(name="kind_of_file")
def kind_of_file(content_type: str) -> str:
    """``"image/jpeg"`` -> ``"foto JPEG"``: what a citizen calls the file."""
    return {
        "application/pdf": _("berkas PDF"),
        "image/jpeg": _("foto JPEG"),
        "image/png": _("gambar PNG"),
    }.get(content_type, content_type)
