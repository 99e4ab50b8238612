"""``terpadu link dedupe`` and ``terpadu link pair`` as a data officer runs them on CSV files.

The command reads files and writes files; it never touches the database.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from terpadu.registry.tests import link_data as ld


def run(*args: str) -> tuple[int, dict[str, Any] | None, str]:
    """Exit status, the JSON summary (if any) and what went to stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("link", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    text = out.getvalue().strip()
    return code, (json.loads(text) if text else None), err.getvalue()


def test_dedupe_finds_the_duplicates_and_writes_clusters_and_pairs(tmp_path: Path) -> None:
    rows, truth = ld.people(100, duplicates=25)
    src = ld.write(tmp_path / "warga.csv", [[*r, "catatan"] for r in rows], [*ld.HEADER, "notes"])
    out, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"

    code, summary, err = run("dedupe", str(src), "--out", str(out), "--pairs", str(pairs))

    assert code == 0, err
    assert summary is not None
    written = ld.read(out)
    assert [r["id"] for r in written] == [r[0] for r in rows]  # every record, in file order
    assert ld.found_clusters(written) == ld.true_clusters(truth)
    # a cluster is named after its first record
    first = {}
    for row in written:
        first.setdefault(row["cluster_id"], row["id"])
    assert all(cid == rid for cid, rid in first.items())
    scored = ld.read(pairs)
    assert list(scored[0]) == ["id_l", "id_r", "match_probability"]
    assert len(scored) == 25
    assert all(truth[p["id_l"]] == truth[p["id_r"]] for p in scored)
    assert all(float(p["match_probability"]) >= 0.95 for p in scored)
    assert summary["records"] == 125
    assert summary["clusters"] == 100 and summary["clusters_with_duplicates"] == 25
    assert summary["links"] == 25 and summary["pairs_written"] == 25
    assert summary["ignored_columns"] == ["notes"]
    assert summary["unreadable"] == {}
    assert summary["columns"]["full_name"] == "full_name"
    assert summary["model"]["trained_on"] == "input"
    assert summary["engine"] == "duckdb"


def test_other_column_names_through_map_and_joined_columns(tmp_path: Path) -> None:
    rows, truth = ld.people(100, duplicates=25)
    header = ["No", "NIK", "Nama Lengkap", "Tgl Lahir", "JK", "Jalan", "RT/RW", "Desa", "Ibu"]
    split = []
    for rid, nik, name, born, sex, address, desa, mother in rows:
        street, _, rtrw = address.partition(" R")
        split.append([rid, nik, name, born, sex, street, "R" + rtrw, desa, mother])
    src = ld.write(tmp_path / "dinsos.csv", split, header)
    out = tmp_path / "clusters.csv"

    code, summary, err = run(
        "dedupe",
        str(src),
        "--out",
        str(out),
        "--map",
        "id=No",
        "nik=NIK",
        "full_name=Nama Lengkap",
        "birth_date=Tgl Lahir",
        "sex=JK",
        "address=Jalan+RT/RW",
        "locality=Desa",
        "--map",
        "mother_name=ibu",  # header names compare without case and punctuation
    )

    assert code == 0, err
    assert summary is not None
    assert summary["columns"]["address"] == "Jalan+RT/RW"
    assert summary["columns"]["mother_name"] == "Ibu"
    assert summary["ignored_columns"] == []
    assert ld.found_clusters(ld.read(out)) == ld.true_clusters(truth)


def test_a_file_without_an_id_column_stops_with_exit_2(tmp_path: Path) -> None:
    src = tmp_path / "tanpa-id.csv"
    src.write_text("nama,tanggal_lahir\nSiti Aminah,1990-08-05\n", encoding="utf-8")
    out = tmp_path / "clusters.csv"

    code, summary, err = run("dedupe", str(src), "--out", str(out))

    assert code == 2 and summary is None
    assert err == (
        f"terpadu link: {src}: baris 1: tidak ada kolom id (beri nama 'id' atau --map id=KOLOM)\n"
    )
    assert not out.exists()


def test_a_repeated_or_empty_id_stops_the_run_naming_the_row(tmp_path: Path) -> None:
    rows, _ = ld.people(10, duplicates=0)
    rows[6][0] = rows[2][0]  # file rows 8 and 4 (the header is row 1)
    src = ld.write(tmp_path / "ganda.csv", rows)
    out = tmp_path / "clusters.csv"

    code, summary, err = run("dedupe", str(src), "--out", str(out))

    assert code == 2 and summary is None
    assert err == f"terpadu link: {src}: baris 8: id '{rows[2][0]}' sudah dipakai di baris 4\n"
    assert not out.exists()

    rows[6][0] = ""
    ld.write(src, rows)
    code, _, err = run("dedupe", str(src), "--out", str(out))
    assert code == 2
    assert err == f"terpadu link: {src}: baris 8: id kosong\n"


def test_unreadable_values_count_as_missing_and_are_summarised(tmp_path: Path) -> None:
    rows, truth = ld.people(100, duplicates=25)
    alone = [i for i, r in enumerate(rows) if sum(t == truth[r[0]] for t in truth.values()) == 1]
    bad_dates = {alone[0]: "1990-02-30", alone[3]: "kemarin", alone[7]: "12/03/1990"}
    for i, value in bad_dates.items():
        rows[i][3] = value
    rows[alone[10]][4] = "X"  # sex
    rows[alone[11]][1] = "3510-01A"  # NIK with a letter
    src = ld.write(tmp_path / "kotor.csv", rows)
    out = tmp_path / "clusters.csv"

    code, summary, err = run("dedupe", str(src), "--out", str(out))

    assert code == 0, err
    assert summary is not None
    assert summary["unreadable"] == {
        "birth_date": {
            "column": "birth_date",
            "count": 3,
            "rows": sorted(i + 2 for i in bad_dates),
        },
        "sex": {"column": "sex", "count": 1, "rows": [alone[10] + 2]},
        "nik": {"column": "nik", "count": 1, "rows": [alone[11] + 2]},
    }
    assert ld.found_clusters(ld.read(out)) == ld.true_clusters(truth)


def test_nothing_linked_exits_1_and_still_writes_every_record(tmp_path: Path) -> None:
    rows, _ = ld.people(40, duplicates=0)
    src = ld.write(tmp_path / "unik.csv", rows)
    out = tmp_path / "clusters.csv"

    code, summary, err = run("dedupe", str(src), "--out", str(out))

    assert code == 1, err
    assert summary is not None and summary["links"] == 0
    assert summary["clusters_with_duplicates"] == 0
    assert [(r["id"], r["cluster_id"]) for r in ld.read(out)] == [(r[0], r[0]) for r in rows]


def _two_lists(tmp_path: Path) -> tuple[Path, Path, set[tuple[str, str]]]:
    rows, truth = ld.people(80, duplicates=30)
    seen: set[int] = set()
    left, right = [], []
    for row in rows:
        person = truth[row[0]]
        (right if person in seen else left).append(row)
        seen.add(person)
    owner = {truth[r[0]]: r[0] for r in left}
    expected = {(owner[truth[r[0]]], r[0]) for r in right}
    return (
        ld.write(tmp_path / "dukcapil.csv", left),
        ld.write(tmp_path / "sekolah.csv", right),
        expected,
    )


def test_pair_links_two_lists(tmp_path: Path) -> None:
    left, right, expected = _two_lists(tmp_path)
    out = tmp_path / "pairs.csv"

    code, summary, err = run("pair", str(left), str(right), "--out", str(out), "--one-to-one")

    assert code == 0, err
    assert summary is not None
    assert summary["records"] == {"left": 80, "right": 30}
    assert summary["links"] == 30 and summary["one_to_one"] is True
    written = ld.read(out)
    assert {(p["id_l"], p["id_r"]) for p in written} == expected
    assert summary["compared_roles"] == [
        "address",
        "birth_date",
        "full_name",
        "locality",
        "mother_name",
        "nik",
        "sex",
    ]


def test_a_saved_model_links_a_later_file_without_training(tmp_path: Path) -> None:
    rows, truth = ld.people(100, duplicates=25)
    src = ld.write(tmp_path / "warga.csv", rows)
    model = tmp_path / "model.json"
    code, summary, err = run(
        "dedupe", str(src), "--out", str(tmp_path / "a.csv"), "--save-model", str(model)
    )
    assert code == 0, err
    assert json.loads(model.read_text())["terpadu"]["kind"] == "terpadu-csv-link"

    code, summary, err = run(
        "dedupe", str(src), "--out", str(tmp_path / "b.csv"), "--model", str(model)
    )
    assert code == 0, err
    assert summary is not None
    assert summary["model"]["trained_on"] == str(model)
    assert "train" not in summary["seconds"]
    assert ld.found_clusters(ld.read(tmp_path / "b.csv")) == ld.true_clusters(truth)

    # a file with other columns does not fit the model
    fewer = ld.write(tmp_path / "fewer.csv", [r[:4] for r in rows], ld.HEADER[:4])
    code, _, err = run(
        "dedupe", str(fewer), "--out", str(tmp_path / "c.csv"), "--model", str(model)
    )
    assert code == 2
    assert err.startswith("terpadu link: --model: peran kolom berbeda dengan model")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "umur=Umur"], "--map 'umur=Umur': peran 'umur' tidak dikenal"),
        (["--map", "nik"], "--map 'nik': tulis peran=kolom (contoh: nik=No_KTP)"),
        (["--map", "nik=No KTP"], "kolom 'No KTP' tidak ada"),
    ],
)
def test_bad_maps_are_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    rows, _ = ld.people(10, duplicates=0)
    src = ld.write(tmp_path / "warga.csv", rows)
    code, _, err = run("dedupe", str(src), "--out", str(tmp_path / "o.csv"), *args)
    assert code == 2
    assert err.startswith("terpadu link: ") and message in err


def test_usage_errors_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run("dedupe", str(tmp_path / "tidak-ada.csv"), "--out", str(tmp_path / "o.csv"))
    assert code == 2
    assert err == f"terpadu link: {tmp_path / 'tidak-ada.csv'}: berkas tidak ditemukan\n"

    rows, _ = ld.people(10, duplicates=0)
    src = ld.write(tmp_path / "warga.csv", rows)
    code, _, _ = run("dedupe", str(src), "--out", str(tmp_path / "o.csv"), "--threshold", "1.5")
    assert code == 2
    assert capsys.readouterr().err == (
        "terpadu link: argument --threshold: 1.5 harus di antara 0 dan 1\n"
    )
    code, _, _ = run("dedupe", str(src))
    assert code == 2
    assert capsys.readouterr().err == "terpadu link: argumen wajib belum diisi: --out\n"


def test_semicolon_csv_and_bom_from_excel(tmp_path: Path) -> None:
    rows, truth = ld.people(100, duplicates=25)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(ld.HEADER)
    writer.writerows(rows)
    src = tmp_path / "excel.csv"
    src.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    out = tmp_path / "clusters.csv"
    code, _, err = run("dedupe", str(src), "--out", str(out))
    assert code == 0, err
    assert ld.found_clusters(ld.read(out)) == ld.true_clusters(truth)


def test_min_probability_writes_the_review_band_too(tmp_path: Path) -> None:
    rows, truth = ld.people(100, duplicates=25)
    src = ld.write(tmp_path / "warga.csv", rows)
    out, pairs = tmp_path / "clusters.csv", tmp_path / "pairs.csv"

    band = ["--min-probability", "0.0000001"]
    code, summary, err = run("dedupe", str(src), "--out", str(out), "--pairs", str(pairs), *band)

    assert code == 0, err
    assert summary is not None
    scored = ld.read(pairs)
    assert len(scored) == summary["pairs_written"] > summary["links"] == 25
    assert min(float(p["match_probability"]) for p in scored) >= 0.0000001
    # clusters still come from links at the threshold only
    assert ld.found_clusters(ld.read(out)) == ld.true_clusters(truth)


def test_xlsx_with_a_nik_typed_as_a_number(tmp_path: Path) -> None:
    from openpyxl import Workbook

    rows, _ = ld.people(100, duplicates=25)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(ld.HEADER)
    for i, row in enumerate(rows):
        cells: list[Any] = list(row)
        if i == 5 and row[1]:
            cells[1] = int(row[1])  # Excel shows 3.51E+15 and keeps 15 digits
        sheet.append(cells)
    src = tmp_path / "warga.xlsx"
    book.save(src)
    out = tmp_path / "clusters.csv"

    code, summary, err = run("dedupe", str(src), "--out", str(out))

    assert code == 0, err
    assert summary is not None
    assert summary["unreadable"] == {"nik": {"column": "nik", "count": 1, "rows": [7]}}
    assert len(ld.read(out)) == 125
