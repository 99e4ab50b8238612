"""Requirement files: PDF, JPEG or PNG, recognised by content, size-limited, images re-encoded.

- The name and declared type a browser sends are ignored: the first bytes decide
  (``%PDF-``, the JPEG or the PNG signature). An executable renamed ``.pdf`` starts
  with ``MZ`` or ``\\x7fELF`` and is refused.
- Too large: refused by :class:`SizeLimitUploadHandler` while the request is read,
  so a 50 MB upload is never held in memory (nor written whole to a temporary file);
  the view then names the field. The API checks the size it got.
- Images are decoded by Pillow and saved again without EXIF (GPS, camera serials),
  ICC or text chunks. PDFs are kept as they are (their structure is checked lightly).
- Stored through Django's storage API (``settings.APPLICATION_STORAGE``, default
  storage: local disk under ``var/uploads``, swap for an S3-compatible backend).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from PIL import Image, ImageOps, UnidentifiedImageError

from terpadu.core.errors import FieldError, field_error

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_PIXELS = 40_000_000
MAX_SIDE = 3000
ACCEPT = "application/pdf,image/jpeg,image/png"


def max_bytes() -> int:
    return int(getattr(settings, "APPLICATION_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def storage() -> Storage:
    return storages[getattr(settings, "APPLICATION_STORAGE", "default")]


def too_large_message(field: str) -> FieldError:
    mb = max_bytes() / (1024 * 1024)
    return field_error(
        field,
        f"Berkas terlalu besar: paling besar {mb:g} MB per berkas.",
        f"The file is too large: at most {mb:g} MB per file.",
    )


def wrong_type_message(field: str) -> FieldError:
    return field_error(
        field,
        "Hanya berkas PDF, JPEG, atau PNG yang diterima (isi berkas ini bukan salah satunya).",
        "Only PDF, JPEG or PNG files are accepted (this file's content is none of them).",
    )


def damaged_message(field: str) -> FieldError:
    return field_error(
        field, "Berkas rusak atau tidak lengkap.", "The file is damaged or incomplete."
    )


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class UploadRejected(Exception):
    def __init__(self, error: FieldError) -> None:
        super().__init__(error.message)
        self.error = error


def _image(data: bytes, kind: str, field: str) -> tuple[bytes, str, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.format != kind or opened.width * opened.height > MAX_PIXELS:
                raise UploadRejected(wrong_type_message(field))
            opened.load()
    except UploadRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise UploadRejected(damaged_message(field)) from None
    image: Image.Image = ImageOps.exif_transpose(opened) or opened
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == "JPEG":
        clean = image.convert("RGB")
        clean.info = {}
        clean.save(out, format="JPEG", quality=85, optimize=True)
        return out.getvalue(), "image/jpeg", "jpg"
    clean = image if image.mode in ("RGB", "RGBA", "L", "LA", "P") else image.convert("RGBA")
    clean.info = {}
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue(), "image/png", "png"


def clean_upload(upload: Any, *, field: str) -> CleanFile:
    """Read and check one uploaded file; raise UploadRejected naming ``field``."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(too_large_message(field))
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(too_large_message(field))
    name = str(getattr(upload, "name", "") or "")[-120:]
    if data.startswith(PDF_MAGIC):
        # a PDF ends with %%EOF (allow trailing whitespace and incremental-update junk)
        if b"%%EOF" not in data[-2048:]:
            raise UploadRejected(damaged_message(field))
        return CleanFile(data, "application/pdf", "pdf", name)
    if data.startswith(JPEG_MAGIC):
        content, ctype, ext = _image(data, "JPEG", field)
        return CleanFile(content, ctype, ext, name)
    if data.startswith(PNG_MAGIC):
        content, ctype, ext = _image(data, "PNG", field)
        return CleanFile(content, ctype, ext, name)
    raise UploadRejected(wrong_type_message(field))


def save(clean: CleanFile, *, folder: str) -> str:
    """Store the bytes under an unguessable name; returns the storage name."""
    name = f"{folder}/{secrets.token_hex(12)}.{clean.extension}"
    return storage().save(name, ContentFile(clean.content))


def delete_quietly(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            storage().delete(name)


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading a file past the limit and remembers its field (``request.too_large``).

    Put first in ``request.upload_handlers`` before the body is read: the file is then
    skipped (its bytes drained, never stored), and the view gives that field the
    "too large" message.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = max_bytes()
        self.too_large: set[str] = set()
        if request is not None:
            request.too_large = self.too_large

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.too_large.add(str(self.field_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
