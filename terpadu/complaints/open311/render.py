"""One body, two formats: JSON lists/objects and the specification's XML element names."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

# XML element name of the items of each list-valued field.
ITEM_NAMES = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
    "keywords": "keyword",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(element: ET.Element, value: Any, name: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item, key)
    elif isinstance(value, list):
        child_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _fill(ET.SubElement(element, child_name), item, child_name)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, body: Any) -> bytes:
    """``body`` a list -> <root><item>…</item>…</root>; a dict -> <root>…</root>."""
    element = ET.Element(root)
    if isinstance(body, list):
        for entry in body:
            _fill(ET.SubElement(element, item or "item"), entry, item or "item")
    else:
        _fill(element, body, root)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def respond(
    fmt: str, body: Any, *, root: str, item: str | None = None, status: int = 200
) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, item, body), content_type="text/xml; charset=utf-8", status=status
        )
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=status,
    )


def errors(fmt: str, status: int, *descriptions: str) -> HttpResponse:
    body = [{"code": status, "description": d} for d in descriptions]
    return respond(fmt, body, root="errors", item="error", status=status)
