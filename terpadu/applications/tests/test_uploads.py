"""Upload checks below the forms: content sniffing, re-encoding, and the streaming size limit."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import RequestFactory
from PIL import Image

from terpadu.applications.tests.conftest import jpeg_bytes, pdf_bytes, upload
from terpadu.applications.uploads import SizeLimitUploadHandler, UploadRejected, clean_upload


class CountingHandler(FileUploadHandler):
    """Stands in for Django's memory/temp-file handlers: counts the bytes it is handed."""

    received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        CountingHandler.received += len(raw_data)
        return None

    def file_complete(self, file_size: int) -> None:
        return None


def test_a_50_mb_file_is_cut_off_while_streaming(settings):
    settings.APPLICATION_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024))
    big.name = "besar.pdf"
    request = RequestFactory().post("/x/", {"doc_0": big, "x_child_name": "Bima"})
    handler = SizeLimitUploadHandler(request)
    CountingHandler.received = 0
    parser = MultiPartParser(
        request.META, request._stream, [handler, CountingHandler(request)], "utf-8"
    )
    post, files = parser.parse()
    assert request.too_large == {"doc_0"}
    assert "doc_0" not in files and post["x_child_name"] == "Bima"
    # what reached the storage handlers stayed within the limit (plus one chunk)
    assert CountingHandler.received <= settings.APPLICATION_UPLOAD_MAX_BYTES + 64 * 1024


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00" + b"\0" * 100, "Hanya berkas PDF, JPEG, atau PNG"),
        (b"\x7fELF\x02\x01" + b"\0" * 100, "Hanya berkas PDF, JPEG, atau PNG"),
        (b"<html><script>alert(1)</script>", "Hanya berkas PDF, JPEG, atau PNG"),
        (b"%PDF-1.4\n truncated without end", "rusak"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "rusak"),
    ],
)
def test_content_decides_not_the_name(content, message):
    with pytest.raises(UploadRejected) as exc:
        clean_upload(upload("berkas.pdf", content), field="files.0")
    assert message in exc.value.error.message and exc.value.error.field == "files.0"


def test_a_png_named_pdf_is_accepted_as_png_and_jpeg_metadata_is_dropped():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(buffer, format="PNG")
    clean = clean_upload(upload("ktp.pdf", buffer.getvalue()), field="files.0")
    assert clean.content_type == "image/png" and clean.extension == "png"
    photo = clean_upload(upload("kk.jpg", jpeg_bytes(maker="Kamera GPS")), field="files.1")
    with Image.open(io.BytesIO(photo.content)) as image:
        assert not image.getexif() and image.format == "JPEG"
    assert clean_upload(upload("sk.pdf", pdf_bytes()), field="files.2").content == pdf_bytes()
