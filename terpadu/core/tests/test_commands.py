"""``terpadu workdays`` and ``terpadu nik`` as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from terpadu.core.models import LocalDay, Region, WorkCalendar


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_workdays_add_prints_the_due_date() -> None:
    assert run("workdays", "add", "2026-03-17", "3") == "2026-03-27\n"
    assert run("workdays", "add", "2026-03-17", "3", "--cuti-bersama-open") == "2026-03-23\n"
    assert run("workdays", "add", "2026-03-17", "60") == "2026-06-26\n"
    assert run("workdays", "add", "2026-03-27", "-3") == "2026-03-17\n"
    assert run("workdays", "add", "2026-07-03", "1", "--saturday-open") == "2026-07-04\n"


@pytest.mark.django_db
def test_workdays_between_prints_the_count() -> None:
    assert run("workdays", "between", "2026-03-17", "2026-03-27") == "3\n"
    assert run("workdays", "between", "2026-03-17", "2026-04-14") == "14\n"


@pytest.mark.django_db
def test_workdays_explain_says_why() -> None:
    closed = run("workdays", "explain", "2026-03-20")
    assert closed.startswith("2026-03-20 (Jumat, 20 Maret 2026): BUKAN hari kerja")
    assert "cuti bersama Hari Raya Idul Fitri" in closed
    assert "Nyepi" in run("workdays", "explain", "2026-03-19")
    assert ": hari kerja" in run("workdays", "explain", "2026-03-25")
    assert ": hari kerja" in run("workdays", "explain", "2026-03-20", "--cuti-bersama-open")


@pytest.mark.django_db
def test_workdays_json() -> None:
    data = json.loads(run("workdays", "add", "2026-03-17", "3", "--json"))
    assert data["result"] == "2026-03-27" and data["n"] == 3
    assert data["calendar"]["cuti_bersama_open"] is False
    explained = json.loads(run("workdays", "explain", "2026-03-22", "--json"))
    assert explained["is_workday"] is False and explained["day_name"] == "Minggu"


@pytest.mark.django_db
def test_workdays_uses_the_region_calendar_from_the_database() -> None:
    jatim = Region.objects.create(code="35", name="Jawa Timur", level=Region.Level.PROVINCE)
    bwi = Region.objects.create(
        code="35.10", name="Kabupaten Banyuwangi", level=Region.Level.REGENCY, parent=jatim
    )
    WorkCalendar.objects.create(
        region=bwi, name="MPP Banyuwangi", saturday_open=True, is_region_default=True
    )
    LocalDay.objects.create(region=bwi, date=date(2026, 3, 25), name="Libur daerah")
    # 25 March closed, Saturday open: 26, 27, 28.
    assert run("workdays", "add", "2026-03-17", "3", "--region", "35.10") == "2026-03-28\n"
    assert run("workdays", "between", "2026-03-24", "2026-03-28", "--region", "35.10") == "3\n"
    assert "Libur daerah" in run("workdays", "explain", "2026-03-25", "--region", "35.10")
    # Another region does not see Banyuwangi's day.
    assert ": hari kerja" in run("workdays", "explain", "2026-03-25", "--region", "35.09")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("add", "2026-13-01", "3"),
            "terpadu workdays: tanggal '2026-13-01' tidak valid (format YYYY-MM-DD)",
        ),
        (
            ("add", "2026-03-17", "tiga"),
            "terpadu workdays: jumlah hari kerja 'tiga' harus bilangan bulat",
        ),
        (
            ("between", "2026-03-17", "27-03-2026"),
            "terpadu workdays: tanggal '27-03-2026' tidak valid (format YYYY-MM-DD)",
        ),
        (
            ("explain", "2026-02-30"),
            "terpadu workdays: tanggal '2026-02-30' tidak valid (format YYYY-MM-DD)",
        ),
        (
            ("add", "2026-03-17", "3", "--region", "Banyuwangi"),
            "terpadu workdays: kode wilayah 'Banyuwangi' tidak valid (contoh: 35.10)",
        ),
        (("add", "2026-03-17"), "terpadu workdays: argumen wajib belum diisi: n"),
        ((), "terpadu workdays: argumen wajib belum diisi: {add,between,explain}"),
        (("tambah",), "terpadu workdays: pilihan 'tambah' tidak dikenal"),
        (
            ("add", "2026-03-17", "3", "--calendar", "999"),
            "terpadu workdays: kalender kerja #999 tidak ada",
        ),
    ],
)
def test_workdays_bad_input_is_one_line_and_exit_2(
    args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("workdays", *args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(message)
    assert captured.out == ""


@pytest.mark.django_db
def test_nik_prints_json_and_exits_0_when_valid() -> None:
    data = json.loads(run("nik", "3510014508900001"))
    assert data == {
        "valid": True,
        "nik": "3510014508900001",
        "province": "35",
        "province_name": "Jawa Timur",
        "regency": "35.10",
        "regency_name": None,
        "district": "35.10.01",
        "district_name": None,
        "birth_date": "1990-08-05",
        "sex": "P",
        "serial": "0001",
        "problems": [],
    }


@pytest.mark.django_db
def test_nik_fills_region_names_from_the_database() -> None:
    jatim = Region.objects.create(code="35", name="Jawa Timur", level=Region.Level.PROVINCE)
    bwi = Region.objects.create(
        code="35.10", name="Kabupaten Banyuwangi", level=Region.Level.REGENCY, parent=jatim
    )
    Region.objects.create(
        code="35.10.01", name="Pesanggaran", level=Region.Level.DISTRICT, parent=bwi
    )
    out = run("nik", "3510 0145 0890 0001")
    assert out.startswith('{\n  "valid": true,')  # indent 2
    data = json.loads(out)
    assert data["regency_name"] == "Kabupaten Banyuwangi"
    assert data["district_name"] == "Pesanggaran"


@pytest.mark.django_db
def test_nik_exits_1_when_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("nik", "3510013102900001")
    assert exit_info.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    assert [p["code"] for p in data["problems"]] == ["date_invalid"]


@pytest.mark.django_db
def test_nik_without_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("nik")
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == "terpadu nik: argumen wajib belum diisi: value\n"


def test_terpadu_console_script(tmp_path: Path) -> None:
    script = shutil.which("terpadu", path=str(Path(sys.executable).parent)) or shutil.which(
        "terpadu"
    )
    assert script, "the terpadu console script is not installed (pip install -e .)"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "terpadu.settings_test",
        "TERPADU_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    ok = subprocess.run(
        [script, "workdays", "add", "2026-03-17", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "2026-03-27\n"

    bad = subprocess.run(
        [script, "workdays", "add", "2026-13-01", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr == "terpadu workdays: tanggal '2026-13-01' tidak valid (format YYYY-MM-DD)\n"
