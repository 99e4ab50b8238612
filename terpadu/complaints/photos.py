"""Photo intake: checked by content (JPEG or PNG only), size-limited, re-encoded without
metadata (EXIF with GPS position, camera serials, ICC and text chunks are dropped).

The file name a phone sends and its declared content type are ignored: the first
bytes must be a JPEG or PNG signature and Pillow must decode the whole image.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from terpadu.core.errors import DomainError, FieldError, bilingual, field_error

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560


def max_photo_bytes() -> int:
    return int(getattr(settings, "COMPLAINT_PHOTO_MAX_BYTES", 5 * 1024 * 1024))


def max_photos() -> int:
    return int(getattr(settings, "COMPLAINT_MAX_PHOTOS", 3))


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def _error(field: str, indonesian: str, english: str) -> DomainError:
    return DomainError(
        code="invalid_photo",
        message=bilingual("Foto tidak dapat diterima.", "The photo cannot be accepted."),
        errors=[field_error(field, indonesian, english)],
    )


def clean_photo(upload: Any, *, field: str = "photos") -> CleanPhoto:
    """Read, check and re-encode one uploaded file; raise DomainError naming ``field``."""
    limit = max_photo_bytes()
    size = getattr(upload, "size", None)
    mb = limit / (1024 * 1024)
    if size is not None and size > limit:
        raise _error(field, f"Ukuran foto melebihi {mb:g} MB.", f"The photo exceeds {mb:g} MB.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _error(field, f"Ukuran foto melebihi {mb:g} MB.", f"The photo exceeds {mb:g} MB.")
    if data.startswith(JPEG_MAGIC):
        kind = "JPEG"
    elif data.startswith(PNG_MAGIC):
        kind = "PNG"
    else:
        raise _error(field, "Hanya foto JPEG atau PNG.", "Only JPEG or PNG photos.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.format != kind:
                raise _error(field, "Hanya foto JPEG atau PNG.", "Only JPEG or PNG photos.")
            if opened.width * opened.height > MAX_PIXELS:
                raise _error(
                    field, "Foto terlalu besar (piksel).", "The photo has too many pixels."
                )
            opened.load()
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise _error(
            field, "Berkas foto rusak atau tidak lengkap.", "The photo file is damaged."
        ) from None
    image: Image.Image = ImageOps.exif_transpose(opened) or opened
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "JPEG":
        clean = image.convert("RGB")
        clean.info = {}
        clean.save(out, format="JPEG", quality=85, optimize=True)
        content_type, extension = "image/jpeg", "jpg"
    else:
        clean = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")
        clean.info = {}
        clean.save(out, format="PNG", optimize=True)
        content_type, extension = "image/png", "png"
    return CleanPhoto(out.getvalue(), content_type, extension, clean.width, clean.height)


def clean_photos(uploads: list[Any], *, field: str = "photos") -> list[CleanPhoto]:
    if len(uploads) > max_photos():
        raise DomainError(
            code="invalid_photo",
            message=bilingual("Terlalu banyak foto.", "Too many photos."),
            errors=[
                FieldError(
                    field,
                    f"Paling banyak {max_photos()} foto.",
                    f"At most {max_photos()} photos.",
                )
            ],
        )
    return [clean_photo(upload, field=field) for upload in uploads]
