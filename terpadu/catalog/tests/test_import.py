"""Spreadsheet import/export: all-or-nothing with row-level errors; export → import round-trips."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from terpadu.catalog.models import Service, ServiceVersion
from terpadu.catalog.spreadsheet import (
    COLUMNS,
    catalog_import,
    export_catalog,
    export_rows,
    read_table,
)
from terpadu.catalog.testing import make_service
from terpadu.core.models import AuditEntry
from terpadu.core.testing import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(agencies):
    a, b = agencies["a"], agencies["b"]
    make_service(
        agency=a,
        code="akta-kelahiran",
        name="Akta Kelahiran",
        aliases=["akte lahir", "akta anak"],
        extra_fields=[
            {"name": "child_name", "label": "Nama anak", "type": "text", "required": True}
        ],
    )
    make_service(agency=a, code="ktp-el", name="KTP-el", completion_time_unit="hours")
    make_service(agency=a, code="kk", name="Kartu Keluarga")
    make_service(
        agency=b,
        code="surat-sehat",
        name="Surat Keterangan Sehat",
        fee_amount=25000,
        fee_legal_basis="Perda Retribusi",
    )
    return a.region


def snapshot(region):
    return (
        list(Service.objects.filter(region=region).order_by("code").values()),
        list(ServiceVersion.objects.filter(service__region=region).order_by("pk").values()),
    )


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_three_bad_rows_reject_the_file_and_change_nothing(catalogue, people):
    table = read_table(export_catalog(region=catalogue, fmt="csv"), "x.csv")
    header, rows = table[0], table[1:]
    col = {key: header.index(h) for key, h in COLUMNS}
    rows[0][col["fee_amount"]] = "0"  # row 2: fine
    rows[1][col["agency"]] = "dinas-tidak-ada"  # row 3: unknown agency
    rows[2][col["fee_amount"]] = "dua ribu"  # row 4: not a number
    rows[3][col["product"]] = "Surat sehat (baru)"  # row 5: a valid change
    new = list(rows[0])
    new[col["code"]] = "akta-kematian"
    new[col["name"]] = "Akta Kematian"
    new[col["requirements"]] = ""  # row 6: a new service without requirements
    before = snapshot(catalogue)
    audit_before = AuditEntry.objects.count()

    result = catalog_import(
        actor=people["supervisor"],
        region=catalogue,
        data=csv_bytes([header, *rows, new]),
        filename="katalog.csv",
    )

    assert not result.ok
    assert result.bad_rows == [3, 4, 6]
    by_row = {e.row: e for e in result.errors}
    assert by_row[3].column == "Kode instansi" and "tidak dikenal" in by_row[3].reason
    assert by_row[4].column == "Biaya (Rp)"
    assert by_row[6].column == "Persyaratan"
    assert snapshot(catalogue) == before
    assert AuditEntry.objects.count() == audit_before


def test_export_import_round_trip_xlsx(catalogue, regions, people):
    exported = export_catalog(region=catalogue, fmt="xlsx")
    # Importing the same file changes nothing.
    before = snapshot(catalogue)
    again = catalog_import(
        actor=people["supervisor"], region=catalogue, data=exported, filename="k.xlsx"
    )
    assert again.ok and again.unchanged == 4 and again.created == again.updated == 0
    assert snapshot(catalogue) == before
    # Into another regency with the same agency codes: the same catalogue comes back out.
    jember = regions["jember"]
    AgencyFactory(region=jember, code="dinkes", name="Dinkes Jember", short_name="Dinkes JBR")
    result = catalog_import(
        actor=people["province_supervisor"], region=jember, data=exported, filename="k.xlsx"
    )
    assert result.ok and result.created == 4, result.as_dict()
    assert export_rows(region=jember) == export_rows(region=catalogue)


def test_csv_round_trip_with_semicolons(catalogue, people):
    exported = export_catalog(region=catalogue, fmt="csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    result = catalog_import(
        actor=people["supervisor"], region=catalogue, data=out.getvalue().encode(), filename="k.csv"
    )
    assert result.ok and result.unchanged == 4


def test_changed_row_publishes_a_new_version(catalogue, people):
    table = read_table(export_catalog(region=catalogue, fmt="csv"), "x.csv")
    header = table[0]
    fee = header.index("Biaya (Rp)")
    basis = header.index("Dasar hukum biaya")
    code = header.index("Kode")
    for row in table[1:]:
        if row[code] == "ktp-el":
            row[fee], row[basis] = "10000", "Perda contoh"
    result = catalog_import(
        actor=people["supervisor"], region=catalogue, data=csv_bytes(table), filename="k.csv"
    )
    assert result.ok and result.updated == 1 and result.unchanged == 3, result.as_dict()
    service = Service.objects.get(code="ktp-el", region=catalogue)
    assert service.current_version.number == 2 and service.current_version.fee_amount == 10000
    assert service.versions.get(number=1).status == "superseded"
    assert AuditEntry.objects.filter(action="catalog.import_publish").count() == 1
    assert AuditEntry.objects.filter(action="catalog.import").count() == 1


def test_row_with_a_future_date_is_scheduled_and_round_trips(catalogue, regions, people):
    import datetime as dt

    from terpadu.catalog.services import promote_due_versions
    from terpadu.core.workdays import local_today

    start = local_today() + dt.timedelta(days=30)
    table = read_table(export_catalog(region=catalogue, fmt="csv"), "x.csv")
    header = table[0]
    col = {key: header.index(h) for key, h in COLUMNS}
    for row in table[1:]:
        if row[col["code"]] == "ktp-el":
            row[col["fee_amount"]], row[col["fee_legal_basis"]] = "10000", "Perda contoh"
            row[col["effective_date"]] = start.isoformat()
    result = catalog_import(
        actor=people["supervisor"], region=catalogue, data=csv_bytes(table), filename="k.csv"
    )
    assert result.ok and result.updated == 1, result.as_dict()
    service = Service.objects.get(code="ktp-el", region=catalogue)
    assert service.current_version.number == 1 and service.current_version.fee_amount == 0
    assert service.versions.get(number=2).status == "scheduled"
    # The export holds what the agency decided (version 2 and its date): importing it
    # again, here or into another regency, changes nothing / gives the same catalogue.
    exported = export_catalog(region=catalogue, fmt="xlsx")
    before = snapshot(catalogue)
    again = catalog_import(
        actor=people["supervisor"], region=catalogue, data=exported, filename="k.xlsx"
    )
    assert again.ok and again.unchanged == 4 and snapshot(catalogue) == before
    jember = regions["jember"]
    AgencyFactory(region=jember, code="dinkes", name="Dinkes Jember", short_name="Dinkes JBR")
    moved = catalog_import(
        actor=people["province_supervisor"], region=jember, data=exported, filename="k.xlsx"
    )
    assert moved.ok and moved.created == 4, moved.as_dict()
    assert export_rows(region=jember) == export_rows(region=catalogue)
    # On the date, version 2 takes over.
    promote_due_versions(today=start)
    service.refresh_from_db()
    assert service.current_version.number == 2 and service.current_version.fee_amount == 10000


def test_agency_head_cannot_import_another_agency(catalogue, people):
    data = export_catalog(region=catalogue, fmt="csv")
    result = catalog_import(
        actor=people["agency_head"], region=catalogue, data=data, filename="k.csv"
    )
    assert not result.ok
    assert result.bad_rows == [5]  # the Dinkes row (sorted by code: surat-sehat is last)


def test_cli_export_import_and_exit_codes(catalogue, tmp_path, settings, capsys):
    settings.TERPADU_HOME_REGION = catalogue.code
    path = tmp_path / "katalog.xlsx"
    call_command("catalog", "export", str(path))
    assert json.loads(capsys.readouterr().out) == {"ok": True, "file": str(path), "rows": 4}
    call_command("catalog", "import", str(path), "--dry-run")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["dry_run"] and out["rows"] == 4

    bad = tmp_path / "rusak.csv"
    bad.write_text("Kode,Nama layanan,Kode instansi\nktp-el,,dukcapil\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("catalog", "import", str(bad))
    assert exit_info.value.code == 1
    assert json.loads(capsys.readouterr().out)["bad_rows"] == [2]

    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(b"not a workbook")
    with pytest.raises(SystemExit) as exit_info:
        call_command("catalog", "import", str(garbage))
    assert exit_info.value.code == 2


def test_office_upload_page(catalogue, people):
    head = Client(HTTP_HOST="127.0.0.1")
    head.force_login(people["supervisor"])
    upload = SimpleUploadedFile("k.csv", b"Kode,Nama layanan,Kode instansi\nx,,y\n")
    response = head.post("/kantor/layanan/impor/", {"file": upload})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Berkas ditolak" in text and "<td>2</td>" in text
    export = head.get("/kantor/layanan/ekspor/?format=csv")
    assert export.status_code == 200 and b"akta-kelahiran" in export.content
    officer = Client(HTTP_HOST="127.0.0.1")
    officer.force_login(people["agency_officer"])
    assert officer.get("/kantor/layanan/impor/").status_code == 404
