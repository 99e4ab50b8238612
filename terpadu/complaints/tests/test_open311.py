"""An Open311 GeoReport v2 client written from the specification (wiki.open311.org/GeoReport_v2),
not from our code: it knows only the spec's paths, parameters, element names and error shape.
It drives the server through Django's test client and parses XML with the standard library.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.management import call_command

from terpadu.complaints.models import Complaint

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def _xml_value(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    return {child.tag: _xml_value(child) for child in children}


class GeoReportClient:
    """Spec: every resource is ``{resource}.{format}``; XML is the required format, JSON optional."""

    def __init__(self, http: Any, fmt: str, api_key: str = "") -> None:
        self.http, self.fmt, self.api_key = http, fmt, api_key

    def _parse(self, response: Any, list_tag: str | None = None) -> Any:
        body = response.content.decode("utf-8")
        if self.fmt == "json":
            assert response["Content-Type"].startswith("application/json")
            return json.loads(body)
        assert response["Content-Type"].startswith("text/xml")
        root = ET.fromstring(body)
        if list_tag is None:
            return root
        return [_xml_value(item) for item in root.findall(list_tag)]

    def get(self, path: str, list_tag: str | None = None, **params: str) -> tuple[int, Any]:
        response = self.http.get(f"{BASE}/{path}.{self.fmt}", params, HTTP_HOST="127.0.0.1")
        if response.status_code >= 400:
            return response.status_code, self.errors(response)
        return response.status_code, self._parse(response, list_tag)

    def errors(self, response: Any) -> list[dict[str, Any]]:
        """Spec: errors are an array of {code, description} (``<errors><error>`` in XML)."""
        if self.fmt == "json":
            return json.loads(response.content)
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        return [_xml_value(e) for e in root.findall("error")]

    def discovery(self) -> Any:
        return self.get("discovery")

    def services(self) -> tuple[int, list[dict[str, Any]]]:
        return self.get("services", "service")

    def service_definition(self, code: str) -> tuple[int, Any]:
        return self.get(f"services/{code}")

    def post_request(self, **fields: str) -> tuple[int, list[dict[str, Any]]]:
        data = {"api_key": self.api_key, **fields} if self.api_key else dict(fields)
        response = self.http.post(f"{BASE}/requests.{self.fmt}", data, HTTP_HOST="127.0.0.1")
        if response.status_code >= 400:
            return response.status_code, self.errors(response)
        return response.status_code, self._parse(response, "request")

    def token(self, token: str) -> tuple[int, list[dict[str, Any]]]:
        return self.get(f"tokens/{token}", "request")

    def request(self, request_id: str) -> tuple[int, list[dict[str, Any]]]:
        return self.get(f"requests/{request_id}", "request")

    def requests(self, **filters: str) -> tuple[int, list[dict[str, Any]]]:
        return self.get("requests", "request", **filters)


@pytest.fixture
def api_key(regions, capsys):  # type: ignore[no-untyped-def]
    call_command("open311", "issue-key", "Aplikasi Lapor Jalan")
    out = capsys.readouterr().out
    return next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("api_key: "))


def _json_or_xml_bool(value: Any) -> bool:
    return value is True or value == "true"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_client_flow(client, regions, agencies, categories, people, api_key, fmt):
    geo = GeoReportClient(client, fmt, api_key)

    status, discovery = geo.discovery()
    assert status == 200
    if fmt == "json":
        endpoint = discovery["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert "text/xml" in endpoint["formats"]
    else:
        assert discovery.tag == "discovery"
        assert discovery.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")
        formats = [f.text for f in discovery.findall("endpoints/endpoint/formats/format")]
        assert "text/xml" in formats

    status, services = geo.services()
    assert status == 200
    by_code = {s["service_code"]: s for s in services}
    assert {"adminduk", "ringan", "jalan-rusak"} <= set(by_code)
    road = by_code["jalan-rusak"]
    for field in (
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ):
        assert field in road
    assert road["type"] in ("realtime", "batch", "blackbox")

    if _json_or_xml_bool(road["metadata"]):
        status, definition = geo.service_definition("jalan-rusak")
        assert status == 200
        if fmt == "json":
            attributes = definition["attributes"]
            assert definition["service_code"] == "jalan-rusak"
        else:
            assert definition.find("service_code").text == "jalan-rusak"
            attributes = [_xml_value(a) for a in definition.findall("attributes/attribute")]
        for attribute in attributes:
            assert {"variable", "code", "datatype", "required", "order", "description"} <= set(
                attribute
            )

    status, created = geo.post_request(
        service_code="jalan-rusak",
        lat="-8.2192",
        long="114.3691",
        address_string="Jl. Ahmad Yani depan pasar",
        description="Lubang besar di tengah jalan, sudah dua motor jatuh minggu ini.",
        first_name="Rini",
        last_name="Setyowati",
        email="rini@example.org",
        phone="081377778888",
        media_url="https://example.org/foto/lubang.jpg",
    )
    assert status in (200, 201), created
    assert len(created) == 1
    receipt = created[0]
    request_id = receipt.get("service_request_id") or ""
    token = receipt.get("token") or ""
    assert request_id or token
    if token:
        status, resolved = geo.token(token)
        assert status == 200
        assert resolved[0]["token"] == token
        request_id = resolved[0]["service_request_id"]
        assert request_id

    status, records = geo.request(str(request_id))
    assert status == 200 and len(records) == 1
    record = records[0]
    assert str(record["service_request_id"]) == str(request_id)
    assert record["status"] == "open"
    assert record["service_code"] == "jalan-rusak"
    assert record["description"].startswith("Lubang besar")
    assert float(record["lat"]) == pytest.approx(-8.2192)
    assert float(record["long"]) == pytest.approx(114.3691)
    for field in (
        "requested_datetime",
        "updated_datetime",
        "address",
        "media_url",
        "agency_responsible",
    ):
        assert field in record
    assert "T" in record["requested_datetime"] and record["requested_datetime"][-6] in "+-"
    # identity is never part of a service request record
    text = json.dumps(records)
    assert "Setyowati" not in text and "081377778888" not in text and "rini@" not in text

    status, listed = geo.requests(service_code="jalan-rusak", status="open")
    assert status == 200
    assert str(request_id) in {str(r["service_request_id"]) for r in listed}
    status, closed = geo.requests(status="closed")
    assert status == 200 and str(request_id) not in {str(r["service_request_id"]) for r in closed}

    # after the agency's answer and the reporter's confirmation the request is closed
    from terpadu.complaints import services as complaint_services

    complaint = Complaint.objects.get(pk=int(request_id))
    complaint_services.complaint_dispose(
        user=people["supervisor"], complaint=complaint, agency=agencies["b"]
    )
    complaint_services.complaint_answer(
        user=people["supervisor"], complaint=complaint, answer="Jalan sudah ditambal oleh dinas."
    )
    complaint_services.complaint_confirm(complaint=complaint)
    status, records = geo.request(str(request_id))
    assert records[0]["status"] == "closed"
    assert "ditambal" in records[0]["status_notes"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_spec_errors_and_nothing_saved(client, regions, categories, api_key, fmt):
    geo = GeoReportClient(client, fmt, api_key)
    good = {
        "service_code": "jalan-rusak",
        "lat": "-8.2192",
        "long": "114.3691",
        "description": "Lubang besar di tengah jalan dekat sekolah.",
    }
    cases = [
        ({**good, "service_code": ""}, 400, "service_code"),
        ({k: v for k, v in good.items() if k != "service_code"}, 400, "service_code"),
        ({**good, "service_code": "tidak-ada"}, 404, "service_code"),
        ({**good, "lat": "delapan"}, 400, "lat"),
        ({**good, "lat": "-8.2", "long": "200"}, 400, "long"),
        ({k: v for k, v in good.items() if k not in ("lat", "long")}, 400, "location"),
        ({**good, "description": ""}, 400, "description"),
        ({**good, "email": "bukan-surel"}, 400, "email"),
    ]
    for fields, expected, word in cases:
        status, errors = geo.post_request(**fields)
        assert status == expected, (fields, errors)
        assert isinstance(errors, list) and errors
        assert int(errors[0]["code"]) == expected
        assert word in " ".join(e["description"] for e in errors)
    no_key = GeoReportClient(client, fmt)
    status, errors = no_key.post_request(**good)
    assert status == 403 and int(errors[0]["code"]) == 403
    wrong_key = GeoReportClient(client, fmt, "o311_salah")
    status, errors = wrong_key.post_request(**good)
    assert status == 403
    assert Complaint.objects.count() == 0

    status, errors = geo.request("999999")
    assert status == 404 and int(errors[0]["code"]) == 404
    status, errors = geo.token("tidak-ada")
    assert status == 404
    status, errors = geo.requests(status="pending")
    assert status == 400
    status, errors = geo.service_definition("tidak-ada")
    assert status == 404


def test_revoked_key_and_confidential_request_visible_to_its_client_only(
    client, regions, categories, api_key
):
    geo = GeoReportClient(client, "json", api_key)
    status, created = geo.post_request(
        service_code="adminduk",
        address_string="Kantor desa Sobo",
        description="Petugas meminta uang untuk surat pindah.",
        **{"attribute[rahasia]": "1"},
    )
    assert status == 200
    request_id = created[0]["service_request_id"]
    assert Complaint.objects.get(pk=int(request_id)).is_confidential
    assert GeoReportClient(client, "json").request(request_id)[0] == 404
    assert geo.get(f"requests/{request_id}", "request", api_key=api_key)[0] == 200
    call_command("open311", "revoke", "Aplikasi Lapor Jalan")
    status, _errors = geo.post_request(
        service_code="adminduk", address_string="x", description="Laporan kedua setelah dicabut."
    )
    assert status == 403
