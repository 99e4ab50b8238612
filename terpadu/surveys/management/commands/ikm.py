"""``terpadu ikm FILE.csv``: the IKM of a file of questionnaires, as JSON.

One row per questionnaire, a header with columns ``U1`` … ``U9`` (other columns
are ignored), values 1–4 or blank for an unanswered item; comma, semicolon or
tab separated, UTF-8 (an Excel BOM is fine). A row with every item blank is not
a questionnaire and is skipped. Output::

    {"n": 120, "nrr": {"U1": 3.125, ...}, "ikm": 78.43, "mutu": "B", "kinerja": "Baik"}

A malformed file prints one line naming the row (line number, header = 1) and
the column, and exits with status 2.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from terpadu.core.management.commands._oneline import OneLineCommand, UsageError
from terpadu.surveys.ikm import STANDARD_CODES, IkmResult, ikm_from_rows

MAX_BYTES = 200 * 1024 * 1024


def read_questionnaires(path: Path) -> IkmResult:
    """Parse and compute; raises UsageError naming the row and column of the first problem."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path}: berkas lebih dari 200 MB")
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise UsageError(f"{path}: berkas tidak ditemukan") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise UsageError(f"{path}: tidak dapat dibaca ({exc.strerror})") from None
    with handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise UsageError(f"{path}: baris 1: bukan teks UTF-8") from None
        if not first.strip():
            raise UsageError(f"{path}: berkas kosong (baris 1 harus berisi kepala kolom U1…U9)")
        delimiter = max(",;\t", key=first.count)
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        rows: list[dict[str, int | None]] = []
        try:
            header = [h.strip().upper() for h in next(reader)]
            missing = [c for c in STANDARD_CODES if c not in header]
            if missing:
                raise UsageError(
                    f"{path}: baris 1: kolom {', '.join(missing)} tidak ada "
                    "(kepala kolom harus memuat U1…U9)"
                )
            dupes = [c for c in STANDARD_CODES if header.count(c) > 1]
            if dupes:
                raise UsageError(f"{path}: baris 1: kolom {dupes[0]} muncul lebih dari sekali")
            index = {c: header.index(c) for c in STANDARD_CODES}
            for cells in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                row: dict[str, int | None] = {}
                for code, col in index.items():
                    raw = cells[col].strip() if col < len(cells) else ""
                    if raw == "":
                        row[code] = None
                    elif re.fullmatch(r"[1-4](\.0+)?", raw):
                        row[code] = int(raw[0])
                    else:
                        raise UsageError(
                            f"{path}: baris {line}, kolom {code}: nilai '{raw[:20]}' bukan 1–4 "
                            "atau kosong"
                        )
                rows.append(row)
        except UnicodeDecodeError:
            raise UsageError(f"{path}: baris {reader.line_num + 1}: bukan teks UTF-8") from None
        except csv.Error as exc:
            raise UsageError(f"{path}: baris {reader.line_num}: {exc}") from None
    result = ikm_from_rows(rows)
    if result.n == 0:
        raise UsageError(f"{path}: tidak ada satu pun kuesioner yang berisi jawaban")
    return result


def result_json(result: IkmResult) -> str:
    """JSON with the IKM written with exactly two decimals (75.00, not 75.0)."""
    body: dict[str, Any] = result.as_dict()
    body["ikm"] = f"@@{result.ikm}@@" if result.ikm is not None else None
    return re.sub(r'"@@([0-9.]+)@@"', r"\1", json.dumps(body, indent=2, ensure_ascii=False))


class Command(OneLineCommand):
    help = (
        "Hitung IKM (PermenPANRB 14/2017) dari berkas CSV berkolom U1…U9 (nilai 1–4 atau kosong)."
    )
    command_name = "ikm"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV, satu baris per kuesioner")

    def handle(self, *args: Any, **options: Any) -> None:
        result = read_questionnaires(Path(options["file"]))
        self.stdout.write(result_json(result))
