"""``terpadu ikm FILE.csv``: JSON on success; row and column named, exit 2, on a malformed file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

HEADER = "U1,U2,U3,U4,U5,U6,U7,U8,U9"


def run(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "terpadu.settings_test"}
    return subprocess.run(
        [sys.executable, "-m", "terpadu.cli", "ikm", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def test_all_threes_print_75_00_and_c(tmp_path):
    path = tmp_path / "skm.csv"
    path.write_text(HEADER + "\n" + "\n".join(["3,3,3,3,3,3,3,3,3"] * 5) + "\n", encoding="utf-8")
    done = run(path)
    assert done.returncode == 0, done.stderr
    assert '"ikm": 75.00' in done.stdout
    body = json.loads(done.stdout)
    assert body == {
        "n": 5,
        "nrr": {f"U{i}": 3.0 for i in range(1, 10)},
        "ikm": 75.0,
        "mutu": "C",
        "kinerja": "Kurang baik",
    }


def test_blanks_semicolons_bom_and_extra_columns(tmp_path, capsys):
    path = tmp_path / "skm.csv"
    rows = [
        "no;U9;U8;U7;U6;U5;U4;U3;U2;U1;saran",  # order does not matter: columns are found by code
        "1;4;4;4;4;4;4;4;4;4;bagus",
        "2;;4;4;4;4;2;4;4;4;",
        "3;;;;;;;;;;kosong",  # no answers: not a questionnaire
    ]
    path.write_text("\ufeff" + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("ikm", str(path))
    body = json.loads(capsys.readouterr().out)
    assert body["n"] == 2
    assert body["nrr"]["U9"] == 4.0 and body["nrr"]["U4"] == 3.0
    # (8 × 4 + 3) / 9 × 25 = 97.222… -> 97.22
    assert body["ikm"] == 97.22 and body["mutu"] == "A"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + "\n3,3,3,3,3,3,3,3,3\n3,3,5,3,3,3,3,3,3\n", "baris 3, kolom U3: nilai '5'"),
        (HEADER + "\n3,3,3,3,3,3,3,3,x\n", "baris 2, kolom U9: nilai 'x'"),
        (HEADER + "\n0,3,3,3,3,3,3,3,3\n", "baris 2, kolom U1"),
        ("U1,U2,U3,U4,U5,U6,U7,U8\n3,3,3,3,3,3,3,3\n", "baris 1: kolom U9 tidak ada"),
        ("", "berkas kosong"),
        (HEADER + "\n", "tidak ada satu pun kuesioner"),
    ],
)
def test_malformed_file_names_row_and_column_and_exits_2(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ikm", str(path), stdout=out, stderr=err)
    assert exit_info.value.code == 2
    assert out.getvalue() == ""
    assert message in err.getvalue()
    assert len(err.getvalue().strip().splitlines()) == 1


def test_the_real_command_line_exits_2_with_one_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "\n3,3,5,3,3,3,3,3,3\n", encoding="utf-8")
    done = run(path)
    assert done.returncode == 2 and done.stdout == ""
    assert (
        done.stderr.strip()
        == f"terpadu ikm: {path}: baris 2, kolom U3: nilai '5' bukan 1–4 atau kosong"
    )


def test_missing_file_exits_2(tmp_path):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ikm", str(tmp_path / "nope.csv"), stderr=err)
    assert exit_info.value.code == 2 and "tidak ditemukan" in err.getvalue()
