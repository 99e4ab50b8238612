"""Read QR codes the way a phone would: render the PDF page to a bitmap, then decode it."""

from __future__ import annotations

import pypdfium2
import zxingcpp


def qr_payloads(pdf: bytes, scale: float = 2.0, page: int = 0) -> list[str]:
    """The text of every QR code on one page of ``pdf`` rendered at ``scale`` (1 = 72 dpi)."""
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=scale).to_pil()
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]
