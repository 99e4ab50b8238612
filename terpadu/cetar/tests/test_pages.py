"""The public dashboard, indicator pages, drill-down, CSV = table, provincial view, internal view,
open data (CSV/JSON/DCAT, small cells suppressed), the PDF report, API operations, home cards."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from terpadu.accounts.home import cards_for
from terpadu.cetar import facts
from terpadu.cetar.tests.conftest import MARCH

pytestmark = pytest.mark.django_db

Q1 = "periode=2026-Q1"


def client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def test_dashboard_is_public_and_shows_six_letters(busy: dict[str, Any]) -> None:
    response = client().get(f"/cetar/?{Q1}")
    assert response.status_code == 200
    html = response.content.decode()
    for name in (
        "Cepat",
        "Efektif &amp; Efisien",
        "Tanggap",
        "Transparan",
        "Akuntabel",
        "Responsif",
    ):
        assert f"</span>{name}</h2>" in html
    assert "Triwulan I 2026" in html
    assert "target belum tercapai" in html or "target tercapai" in html
    assert 'style="' not in html and "<script>" not in html


def test_dashboard_pages_read_only_fact_tables(busy: dict[str, Any]) -> None:
    a = busy["a"].id
    urls = [
        f"/cetar/?{Q1}",
        f"/cetar/?{Q1}&instansi={a}",
        f"/cetar/indikator/sla_compliance/?{Q1}",
        f"/cetar/indikator/ikm/?{Q1}&instansi={a}&layanan={busy['s1'].id}",
        f"/cetar/indikator/completion_rate/?{Q1}&instansi={a}",
        f"/cetar/indikator/sla_compliance.csv?{Q1}",
        "/cetar/provinsi/?wilayah=35",
        "/cetar/data/permohonan.csv?periode=2026-03",
        "/cetar/data/indikator.json?periode=2026-03",
        "/cetar/data.json",
        f"/api/v1/cetar/indicators/ikm?{Q1.replace('periode', 'period')}",
    ]
    c = client()
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200, url
        tables = set()
        for query in ctx.captured_queries:
            tables |= set(re.findall(r'(?:FROM|JOIN)\s+"?([a-z_0-9]+)"?', query["sql"], re.I))
        assert tables, url
        assert all(t.startswith("ft_") for t in tables), (url, tables)


def test_tile_drills_down_to_agency_service_and_kecamatan(
    busy: dict[str, Any], regions: Any
) -> None:
    c = client()
    html = c.get(f"/cetar/indikator/sla_compliance/?{Q1}").content.decode()
    assert "Peringkat per Instansi" in html
    assert f"instansi={busy['a'].id}" in html
    html = c.get(f"/cetar/indikator/sla_compliance/?{Q1}&instansi={busy['a'].id}").content.decode()
    assert "Peringkat per Layanan" in html and "Akta Kelahiran" in html
    html = c.get(
        f"/cetar/indikator/sla_compliance/?{Q1}&instansi={busy['a'].id}&layanan={busy['s1'].id}"
    ).content.decode()
    assert "Peringkat per Kecamatan" in html and "Banyuwangi" in html
    assert f"kecamatan={regions['bwi_district'].id}" in html
    # the definition is on the page
    assert "Rumus" in html and "catalog.ServiceVersion: completion_time_value" in html


def test_chart_csv_equals_its_table(busy: dict[str, Any]) -> None:
    c = client()
    page = c.get(f"/cetar/indikator/sla_compliance/?{Q1}").content.decode()
    table = page.split("Lihat sebagai tabel")[1].split("</table>")[0]
    cells = re.findall(r'<th scope="row">([^<]+)</th><td class="num">([^<]+)</td>', table)
    rows = list(
        csv.DictReader(
            io.StringIO(c.get(f"/cetar/indikator/sla_compliance.csv?{Q1}").content.decode())
        )
    )
    assert [(r["label"], r["teks"]) for r in rows] == cells
    assert [r["periode"] for r in rows] == ["2026-01", "2026-02", "2026-03"]
    assert rows[2]["teks"] == "91,7 %"  # 11 of 12 decided in March within the SLA
    breakdown = c.get(f"/cetar/indikator/sla_compliance.csv?{Q1}&bagian=rincian").content.decode()
    assert list(csv.reader(io.StringIO(breakdown)))[1][:2] == ["Dukcapil", "91.67"]


def test_small_cells_are_suppressed_on_public_pages(world: dict[str, Any]) -> None:
    facts.build_days(*MARCH, audit=False)
    html = client().get("/cetar/indikator/sla_compliance/?periode=2026-03").content.decode()
    assert "&lt; 5 data" in html  # 4 decided applications only
    assert "75,0 %" not in html


def test_no_data_is_said_not_zero(world: dict[str, Any]) -> None:
    facts.build_days(*MARCH, audit=False)
    html = client().get("/cetar/?periode=2025-01").content.decode()
    assert "tidak ada data" in html
    assert not re.search(r"(?<![\d,])0,0 %", html)


def test_bad_filters_fall_back_with_a_message(busy: dict[str, Any]) -> None:
    html = client().get("/cetar/?periode=kemarin&instansi=999999").content.decode()
    assert "Periode tidak dikenal" in html and "Instansi tidak dikenal" in html


def test_province_puts_regions_side_by_side(busy: dict[str, Any]) -> None:
    html = client().get(f"/cetar/provinsi/?wilayah=35&{Q1}").content.decode()
    assert "Kabupaten Banyuwangi" in html and "Permohonan selesai tepat waktu" in html


def test_internal_view_is_for_supervisors_only(busy: dict[str, Any], people: Any) -> None:
    c = client()
    assert c.get("/cetar/internal/").status_code == 302
    c.force_login(people["agency_officer"])
    assert c.get("/cetar/internal/").status_code == 404
    c.force_login(people["supervisor"])
    html = c.get(f"/cetar/internal/?{Q1}").content.decode()
    assert "Loket 1 Dukcapil" in html


def test_open_data_downloads_parse_and_suppress(busy: dict[str, Any]) -> None:
    c = client()
    rows = list(
        csv.DictReader(
            io.StringIO(c.get("/cetar/data/permohonan.csv?periode=2026-03").content.decode())
        )
    )
    assert rows and {"tanggal", "instansi", "layanan", "kecamatan_kode", "decided"} <= set(rows[0])
    assert all(r["decided"] == "" or int(r["decided"]) >= 5 or int(r["decided"]) == 0 for r in rows)
    assert any(r["decided"] == "" for r in rows)  # 1–4 applications a day: hidden
    data = json.loads(c.get("/cetar/data/indikator.json?periode=2026-03").content)
    sla = [r for r in data["rows"] if r["indikator"] == "sla_compliance"]
    assert sla == [
        {
            "bulan": "2026-03",
            "wilayah_kode": "35.10",
            "wilayah": "Kabupaten Banyuwangi",
            "indikator": "sla_compliance",
            "huruf": "cepat",
            "nilai": pytest.approx(91.6667, abs=1e-3),
            "pembilang": 11.0,
            "penyebut": 12.0,
            "satuan": "%",
            "target": 90.0,
        }
    ]
    assert data["licence"]["url"].startswith("https://creativecommons.org/")
    skm = json.loads(c.get("/cetar/data/skm.json?periode=2026-03").content)["rows"]
    assert all(r["s1"] is None and r["n"] is None for r in skm)  # 1–2 respondents a day
    kamus = json.loads(c.get("/cetar/data/kamus.json").content)
    assert {"dataset": "antrean", "column": "wait_seconds"} in [
        {"dataset": x["dataset"], "column": x["column"]} for x in kamus["columns"]
    ]
    page = c.get("/cetar/data/").content.decode()
    assert "Lisensi" in page and "CC BY 4.0" in page


def test_dcat_catalogue_is_valid(busy: dict[str, Any]) -> None:
    catalog = json.loads(client().get("/cetar/data.json").content)
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    required = {"title", "description", "keyword", "modified", "publisher", "contactPoint"}
    required |= {"identifier", "accessLevel"}
    ids = set()
    for d in catalog["dataset"]:
        assert required <= set(d), d["title"]
        assert d["accessLevel"] in ("public", "restricted public", "non-public")
        assert d["contactPoint"]["hasEmail"].startswith("mailto:")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["modified"])
        assert d["keyword"] and all(isinstance(k, str) for k in d["keyword"])
        ids.add(d["identifier"])
        for dist in d["distribution"]:
            assert dist["@type"] == "dcat:Distribution"
            assert dist["mediaType"] in ("text/csv", "application/json")
            path = dist["downloadURL"].split("127.0.0.1", 1)[1]
            assert client().get(path).status_code == 200
    assert len(ids) == len(catalog["dataset"])


def test_monthly_pdf_report(busy: dict[str, Any]) -> None:
    response = client().get(f"/cetar/laporan/{busy['a'].id}/2026-03.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Laporan CETAR" in text and "Dinas Kependudukan" in text and "Maret 2026" in text
    assert "Indikator paling jauh dari target" in text
    assert client().get("/cetar/laporan/999999/2026-03.pdf").status_code == 404


def test_api_operations(busy: dict[str, Any]) -> None:
    c = client()
    schema = json.loads(c.get("/api/v1/openapi.json").content)
    ops = {
        op["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/cetar")
        for op in item.values()
    }
    assert ops == {
        "cetar_indicator_list",
        "cetar_indicator_get",
        "cetar_series",
        "cetar_facts_download",
    }
    listing = json.loads(c.get("/api/v1/cetar/indicators").content)
    assert len(listing) >= 20 and listing[0]["id"] == "sla_compliance"
    got = json.loads(c.get("/api/v1/cetar/indicators/sla_compliance?period=2026-03").content)
    assert got["current"]["value"] == pytest.approx(1100 / 12)
    assert got["current"]["denominator"] == 12
    series = json.loads(c.get("/api/v1/cetar/indicators/ikm/series?period=2026-Q1").content)
    assert [p["period"] for p in series["points"]] == ["2026-01", "2026-02", "2026-03"]
    bad = c.get("/api/v1/cetar/indicators/ikm?period=kemarin")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "period"
    assert c.get("/api/v1/cetar/indicators/tidak-ada").status_code == 404
    down = c.get("/api/v1/cetar/facts/permohonan?format=csv&period=2026-03")
    assert down.status_code == 200 and down.content.decode().startswith("tanggal,")


def test_home_cards(busy: dict[str, Any], people: Any) -> None:
    head = cards_for(people["agency_head"])
    assert any(card.title == "CETAR instansi Anda" for card in head)
    supervisor = [c.title for c in cards_for(people["supervisor"])]
    assert "CETAR seluruh MPP" in supervisor and "Loket dan petugas" in supervisor
    assert not [c for c in cards_for(people["citizen"]) if "CETAR" in c.title]
