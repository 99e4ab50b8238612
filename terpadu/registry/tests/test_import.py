"""Importing agency extracts: versioned batches, bad rows named by row and column, all or nothing."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from terpadu.core.errors import DomainError
from terpadu.core.models import AuditEntry
from terpadu.registry.models import SourceBatch, SourceRecord
from terpadu.registry.services import batch_import

TODAY = date(2026, 1, 1)

SCHOOL_CSV = """NISN;Nama Siswa;JK;Tempat Lahir;Tgl. Lahir;NIK;Nama Ibu Kandung;Desa;Kecamatan;Sekolah;Kelas
0012345678;MOCH. ARIF HIDAYAT;L;Banyuwangi;12-03-2012;;Siti Aminah;Sobo;Banyuwangi;SDN 1 Sobo;6
0012345679;Sitti Nur Jannah;P;Banyuwangi;5 Agustus 2013;3510164508130001;Hj. Sumiati;Ds. Sobo;;SDN 1 Sobo;5
"""


def _import(regions, source_type: str, text: str, name: str = "data.csv") -> SourceBatch:  # type: ignore[no-untyped-def]
    return batch_import(
        region=regions["banyuwangi"],
        source_type=source_type,
        content=text.encode("utf-8"),
        file_name=name,
        reference=TODAY,
    )


def test_school_extract_becomes_a_batch_of_standard_records(regions) -> None:  # type: ignore[no-untyped-def]
    batch = _import(regions, "school", SCHOOL_CSV)
    assert (batch.source_type, batch.version, batch.row_count) == ("school", 1, 2)
    arif, siti = SourceRecord.objects.filter(batch=batch).order_by("row_number")
    assert arif.row_number == 2 and arif.external_id == "0012345678"
    assert arif.name == "MOCH. ARIF HIDAYAT" and arif.name_std == "muhammad arif hidayat"
    assert arif.birth_date == date(2012, 3, 12) and arif.nik == ""
    assert arif.village == regions["bwi_village"] and arif.district_code == "35.10.16"
    assert arif.data["school"] == "SDN 1 Sobo" and arif.data["grade"] == 6
    assert siti.name_std == "siti nur jannah" and siti.mother_key == "sumiati"
    assert siti.birth_date == date(2013, 8, 5) and siti.sex == "P"
    entry = AuditEntry.objects.get(action="registry.batch_import")
    assert entry.summary["rows"] == 2 and entry.summary["version"] == 1


def test_versions_count_up_and_the_same_file_twice_is_refused(regions) -> None:  # type: ignore[no-untyped-def]
    _import(regions, "school", SCHOOL_CSV)
    second = _import(regions, "school", SCHOOL_CSV.replace("SDN 1 Sobo;6", "SDN 2 Sobo;6"))
    assert second.version == 2
    with pytest.raises(DomainError) as caught:
        _import(regions, "school", SCHOOL_CSV)
    assert caught.value.code == "import_duplicate"
    assert SourceBatch.objects.count() == 2


def test_bad_rows_are_named_and_nothing_is_written(regions) -> None:  # type: ignore[no-untyped-def]
    bad = (
        SCHOOL_CSV
        + "0012345680;Budi;X;Banyuwangi;31-02-2012;;;Sobo;;SDN 1 Sobo;6\n"
        + "12345;;L;Banyuwangi;2012;351016;;Sobo;;SDN 1 Sobo;14\n"
    )
    with pytest.raises(DomainError) as caught:
        _import(regions, "school", bad)
    error = caught.value
    assert error.code == "import_invalid"
    where = {e.field for e in error.errors}
    assert "baris 4 · JK" in where  # sex "X"
    assert "baris 4 · Tgl. Lahir" in where  # 31 February
    assert "baris 5 · NISN" in where  # 5 digits
    assert "baris 5 · Nama Siswa" in where  # empty name
    assert "baris 5 · NIK" in where  # 6 digits
    assert "baris 5 · Kelas" in where  # grade 14
    messages = " ".join(e.message for e in error.errors)
    assert "tidak ada di kalender" in messages and "wajib diisi" in messages
    assert not SourceBatch.objects.exists() and not SourceRecord.objects.exists()
    assert not AuditEntry.objects.filter(action="registry.batch_import").exists()


def test_missing_required_column_is_reported_on_row_one(regions) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        _import(regions, "welfare", "nama,desa\nSutrisno,Sobo\n")
    fields = [e.field for e in caught.value.errors]
    assert any(f.startswith("baris 1") and "no_kk" in f for f in fields)
    assert any("desil" in f for f in fields)


def test_maternal_cohort_needs_an_age_or_a_birth_date(regions) -> None:  # type: ignore[no-untyped-def]
    text = (
        "no_register,nama_ibu,nama_suami,umur,tanggal_lahir,desa,tanggal_kunjungan\n"
        "K1,Ny. Siti Aminah,Moh. Arif,27,,Sobo,2025-10-01\n"
        "K2,Sumiati,,,,Sobo,2025-10-01\n"
    )
    with pytest.raises(DomainError) as caught:
        _import(regions, "maternal", text)
    assert [e.field for e in caught.value.errors] == ["baris 3 · umur/tanggal_lahir"]
    batch = _import(regions, "maternal", text.replace("K2,Sumiati,,,,", "K2,Sumiati,,31,,"))
    first = SourceRecord.objects.get(batch=batch, row_number=2)
    assert first.sex == "P" and first.birth_year == 1998 and first.birth_date is None
    assert first.name_std == "siti aminah" and first.spouse_key == "muhammad arip"


def test_xlsx_with_dates_and_a_nik_typed_as_a_number(regions) -> None:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["NIK", "No KK", "Nama", "Jenis Kelamin", "Tanggal Lahir", "Desa", "Desil"])
    sheet.append(
        ["3510164508900001", "3510160101100001", "Siti Aminah", "P", date(1990, 8, 5), "Sobo", 1]
    )
    sheet.append([3510164508900002, "3510160101100001", "Budi", "L", "1990", "Sobo", 2])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DomainError) as caught:
        batch_import(
            region=regions["banyuwangi"],
            source_type="welfare",
            content=buffer.getvalue(),
            file_name="dtks.xlsx",
            reference=TODAY,
        )
    assert [e.field for e in caught.value.errors] == ["baris 3 · NIK"]
    assert "Excel" in caught.value.errors[0].message
    sheet["A3"] = "3510160101900002"
    buffer = io.BytesIO()
    book.save(buffer)
    batch = batch_import(
        region=regions["banyuwangi"],
        source_type="welfare",
        content=buffer.getvalue(),
        file_name="dtks.xlsx",
        reference=TODAY,
    )
    siti, budi = SourceRecord.objects.filter(batch=batch).order_by("row_number")
    assert siti.birth_date == date(1990, 8, 5) and siti.data["decile"] == 1
    # "1990" alone: the year; the rest of the date comes from the NIK only when nothing is known.
    assert budi.birth_year == 1990 and budi.birth_date is None


def test_cli_import_prints_json_or_one_line_per_bad_row(regions, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "siswa.csv"
    good.write_text(SCHOOL_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("registry", "import", "school", str(good), stdout=out)
    assert '"version": 1' in out.getvalue() and '"rows": 2' in out.getvalue()
    bad = tmp_path / "rusak.csv"
    bad.write_text(SCHOOL_CSV + "1;Budi;L;;2012;;;;;SDN;1\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("registry", "import", "school", str(bad), stderr=err)
    assert caught.value.code == 2
    assert "baris 4 · NISN" in err.getvalue()
    assert SourceBatch.objects.count() == 1


def test_web_processes_do_not_load_splink() -> None:
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE']='terpadu.settings_test';"
        "import django; django.setup();"
        "import terpadu.urls, terpadu.registry.person_index, terpadu.registry.views;"
        "print(sorted(m for m in ('splink', 'duckdb', 'pyarrow') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_bulk_path_standardises_like_an_import(regions) -> None:  # type: ignore[no-untyped-def]
    """The bulk paths (row by row, and set-based in SQL) give the engine an import's values."""
    from terpadu.registry import linkage, sources
    from terpadu.registry.services import gazetteer_for

    text = (
        "no_register,nik,nama_ibu,nama_suami,umur,tanggal_lahir,desa,kecamatan,tanggal_kunjungan\n"
        "K1,,Ny. Siti Aminah,Moh. Arif,27,,Sobo,Banyuwangi,2025-10-01\n"
        "K2,3510164508900001,HJ. SUMIATI,,,5 Agustus 1990,Kel. Sobo,,2025-10-01\n"
        "K3,3510 1645 0890 0002,Tutik,,31,,Atlantis,,\n"
    )
    batch = _import(regions, "maternal", text)
    imported = {
        r.row_number: r for r in SourceRecord.objects.filter(batch=batch).select_related("village")
    }
    rows = list(csv.DictReader(io.StringIO(text)))
    cols = sources.engine_columns_from_rows(
        "maternal", rows, gazetteer=gazetteer_for(regions["banyuwangi"]), reference=TODAY
    )
    import pyarrow as pa

    table = sources.engine_table(
        [("maternal", pa.table({c: [r[c] for r in rows] for c in rows[0]}))],
        gazetteer=gazetteer_for(regions["banyuwangi"]),
        reference=TODAY,
    ).sort_by("unique_id")
    for i, row_number in enumerate(sorted(imported)):
        r = imported[row_number]
        expected = linkage.engine_columns(
            [
                linkage.EngineRecord(
                    unique_id=i + 1,
                    source="maternal",
                    name_key=r.name_key,
                    nik=r.nik,
                    kk=r.kk,
                    sex=r.sex,
                    birth_date=r.birth_date,
                    birth_year=r.birth_year,
                    village=r.village.code if r.village else "",
                    district=r.district_code,
                    mother_key=r.mother_key,
                    spouse_key=r.spouse_key,
                )
            ]
        )
        for name in linkage.COLUMNS:
            assert cols[name][i] == expected[name][0], (row_number, name)
            assert table[name][i].as_py() == expected[name][0], (row_number, name)
