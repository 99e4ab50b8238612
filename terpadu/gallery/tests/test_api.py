"""The gallery API: operation ids, public reads, the kit."""

from __future__ import annotations

import pytest

from terpadu.gallery.tests.conftest import H, client_for, open_cases

pytestmark = pytest.mark.django_db


def test_operation_ids():
    from terpadu.api import api

    schema = api.get_openapi_schema()
    ids = {
        op["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/gallery/")
        for op in item.values()
    }
    assert ids == {
        "gallery_innovation_list",
        "gallery_innovation_get",
        "gallery_outcomes",
        "gallery_kit_export",
    }


def test_public_reads(innovation, garda, regions):
    open_cases(garda, regions["bwi_village"], 2)
    c = client_for()
    listed = c.get("/api/v1/gallery/innovations", {"tema": "education"}, **H).json()
    assert [i["slug"] for i in listed] == ["garda-ampuh"]
    one = c.get("/api/v1/gallery/innovations/garda-ampuh", **H).json()
    assert one["agency_code"] == "dispendik" and one["start_date"] == "2016-05-02"
    outcomes = c.get("/api/v1/gallery/innovations/garda-ampuh/outcomes", **H).json()
    figures = {f["label"]: f["value"] for f in outcomes["measured"][0]["figures"]}
    assert figures["Ditemukan"] == 2
    kit = c.get("/api/v1/gallery/innovations/garda-ampuh/kit", **H).json()
    assert (
        kit["format"] == "terpadu.replication-kit" and kit["programmes"][0]["code"] == "garda_ampuh"
    )
    missing = c.get("/api/v1/gallery/innovations/tidak-ada", **H)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
