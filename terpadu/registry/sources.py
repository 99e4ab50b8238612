"""Agency extracts: source types, their mapping files, reading CSV/XLSX, row validation.

No database writes here. :func:`read_extract` turns a file into standardised
records or a list of row-level errors (row number as a spreadsheet shows it,
header = row 1, and the file's own column name). ``services.batch_import``
writes a batch only when the list of errors is empty.

A mapping file (``mappings/<source_type>.json``) names, for each field, the
column headers that agencies use for it (compared lower case, punctuation as
``_``), its type and whether it is required::

    "birth_date": {"names": ["tanggal_lahir", "tgl_lahir"], "type": "date", "required": true}

Types: ``text``, ``name``, ``nik``/``kk`` (16 digits once spaces, dots and
dashes are dropped), ``digits`` (with ``length``), ``sex``, ``date`` (see
:func:`terpadu.registry.standardise.parse_date`), ``number`` (``min``/``max``).
Fields marked ``extra`` are kept in the record's ``data`` as written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from terpadu.core.nik import clean_nik
from terpadu.registry import standardise as std

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
MAX_ROWS = 2_000_000
MAX_ERRORS = 200


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    names: tuple[str, ...]
    type: str
    required: bool = False
    extra: bool = False
    length: int | None = None
    min: int | None = None
    max: int | None = None
    future: bool = False  # a date that may lie ahead (an expected delivery date)


@dataclass(frozen=True)
class SourceSpec:
    source_type: str
    label: str
    columns: tuple[ColumnSpec, ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    sex: str = ""  # every row of this source has this sex (maternal cohort: "P")

    def column(self, name: str) -> ColumnSpec | None:
        return next((c for c in self.columns if c.field == name), None)


def header_key(text: object) -> str:
    """``"Tgl. Lahir"`` → ``"tgl_lahir"``; ``"L/P"`` → ``"l_p"``."""
    return re.sub(r"[^a-z0-9]+", "_", str(text or "").strip().lower()).strip("_")


@cache
def load_spec(source_type: str) -> SourceSpec:
    path = MAPPINGS_DIR / f"{source_type}.json"
    if not re.fullmatch(r"[a-z_]+", source_type) or not path.exists():
        raise KeyError(source_type)
    raw = json.loads(path.read_text(encoding="utf-8"))
    columns = tuple(
        ColumnSpec(
            field=name,
            names=tuple(header_key(n) for n in spec["names"]),
            type=spec["type"],
            required=bool(spec.get("required")),
            extra=bool(spec.get("extra")),
            length=spec.get("length"),
            min=spec.get("min"),
            max=spec.get("max"),
            future=bool(spec.get("future")),
        )
        for name, spec in raw["columns"].items()
    )
    return SourceSpec(
        source_type=raw["source_type"],
        label=raw["label"],
        columns=columns,
        one_of=tuple(tuple(group) for group in raw.get("one_of", [])),
        sex=raw.get("sex", ""),
    )


def source_types() -> list[str]:
    return sorted(p.stem for p in MAPPINGS_DIR.glob("*.json"))


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"baris {self.row}" + (f", kolom {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class StandardRecord:
    """One validated row in standard form (what a ``SourceRecord`` stores)."""

    row_number: int
    name: str
    name_std: str
    name_key: str
    external_id: str = ""
    nik: str = ""
    kk: str = ""
    sex: str = ""
    birth_date: date | None = None
    birth_year: int | None = None
    birth_place: str = ""
    mother_name: str = ""
    mother_key: str = ""
    spouse_key: str = ""
    address: str = ""
    rt: str = ""
    rw: str = ""
    village_code: str = ""
    district_code: str = ""
    truth: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Extract:
    """A file read against a source type: records, or errors (then nothing may be written)."""

    source_type: str
    file_name: str
    sha256: str
    columns: dict[str, str]  # field → the file's header
    records: list[StandardRecord]
    errors: list[RowError]
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# -- reading files ------------------------------------------------------------------


class FileProblem(Exception):
    """The file as a whole cannot be read (not a row problem)."""


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise FileProblem("berkas bukan teks UTF-8") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileProblem(f"berkas XLSX tidak dapat dibaca ({type(exc).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def read_rows(content: bytes, file_name: str) -> Iterator[list[Any]]:
    """The rows of a CSV or XLSX file (the first sheet), header first."""
    if file_name.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        return _xlsx_rows(content)
    return _csv_rows(content)


# -- values -------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _number_field(value: Any, spec: ColumnSpec) -> tuple[int | None, str]:
    text = _text(value)
    if not text:
        return None, ""
    try:
        number = int(float(text.replace(",", ".")))
    except ValueError:
        return None, f"'{text[:20]}' bukan angka"
    if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
        return None, f"{number} di luar rentang {spec.min}–{spec.max}"
    return number, ""


def _id_field(value: Any, spec: ColumnSpec) -> tuple[str, str]:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 1e14:
        # Excel keeps 15 significant digits: a NIK typed as a number has lost its last digit.
        return (
            "",
            "ditulis sebagai angka di Excel (digit terakhir hilang); format kolom sebagai teks",
        )
    text = clean_nik(_text(value))
    if not text:
        return "", ""
    length = 16 if spec.type in ("nik", "kk") else spec.length
    if not text.isdigit() or (length and len(text) != length):
        what = spec.type.upper() if spec.type in ("nik", "kk") else "nomor"
        return "", f"{what} harus {length} digit angka, bukan '{_text(value)[:24]}'"
    return text, ""


def _map_header(header: list[Any], spec: SourceSpec) -> tuple[dict[str, int], list[RowError]]:
    keys = [header_key(h) for h in header]
    found: dict[str, int] = {}
    errors: list[RowError] = []
    for column in spec.columns:
        positions = [i for i, k in enumerate(keys) if k in column.names]
        if len(positions) > 1:
            names = ", ".join(str(header[i]) for i in positions)
            errors.append(RowError(1, names, f"lebih dari satu kolom untuk {column.field}"))
        elif positions:
            found[column.field] = positions[0]
        elif column.required:
            errors.append(
                RowError(
                    1, column.names[0], f"kolom wajib tidak ada (nama: {', '.join(column.names)})"
                )
            )
    for group in spec.one_of:
        if not any(f in found for f in group):
            errors.append(RowError(1, "/".join(group), "minimal satu dari kolom ini harus ada"))
    return found, errors


def read_extract(
    source_type: str,
    content: bytes,
    *,
    file_name: str,
    gazetteer: std.Gazetteer,
    reference: date,
) -> Extract:
    """Read and validate a whole file. Never raises for bad rows: they are in ``errors``."""
    spec = load_spec(source_type)
    sha = hashlib.sha256(content).hexdigest()
    extract = Extract(source_type, file_name, sha, {}, [], [])
    try:
        rows = read_rows(content, file_name)
        header = next(rows, None)
    except FileProblem as exc:
        extract.errors.append(RowError(1, "", str(exc)))
        return extract
    if not header or not any(_text(h) for h in header):
        extract.errors.append(RowError(1, "", "berkas kosong atau tanpa baris judul"))
        return extract
    positions, errors = _map_header(header, spec)
    extract.columns = {f: _text(header[i]) for f, i in positions.items()}
    if errors:
        extract.errors = errors
        extract.error_count = len(errors)
        return extract

    def add_error(error: RowError) -> None:
        extract.error_count += 1
        if len(extract.errors) < MAX_ERRORS:
            extract.errors.append(error)

    try:
        for offset, row in enumerate(rows):
            row_number = offset + 2
            if row_number > MAX_ROWS + 1:
                add_error(RowError(row_number, "", f"lebih dari {MAX_ROWS:,} baris"))
                break
            if not any(_text(v) for v in row):
                continue  # a blank line between blocks of data
            record = _standard_record(
                row, row_number, spec, positions, extract.columns, gazetteer, reference, add_error
            )
            if record is not None:
                extract.records.append(record)
    except FileProblem as exc:
        add_error(RowError(0, "", str(exc)))
    except csv.Error as exc:
        add_error(RowError(0, "", f"CSV rusak: {exc}"))
    if extract.error_count:
        extract.records = []
    elif not extract.records:
        extract.errors.append(RowError(2, "", "tidak ada baris data"))
        extract.error_count = 1
    return extract


def _standard_record(
    row: list[Any],
    row_number: int,
    spec: SourceSpec,
    positions: Mapping[str, int],
    headers: Mapping[str, str],
    gazetteer: std.Gazetteer,
    reference: date,
    add_error: Any,
) -> StandardRecord | None:
    values: dict[str, Any] = {}
    failed = False
    for column in spec.columns:
        i = positions.get(column.field)
        raw = row[i] if i is not None and i < len(row) else None
        header = headers.get(column.field, column.names[0])
        message = ""
        value: Any
        if column.type in ("nik", "kk", "digits"):
            value, message = _id_field(raw, column)
        elif column.type == "sex":
            text = _text(raw)
            value = std.parse_sex(text) if text else None
            if text and value is None:
                message = f"jenis kelamin '{text[:12]}' tidak dikenali (L/P)"
        elif column.type == "date":
            until = date(reference.year + 2, 12, 31) if column.future else reference
            parsed = std.parse_date(
                raw if not isinstance(raw, str) else raw.strip(), reference=until
            )
            value = parsed if parsed.ok else None
            if _text(raw) and not parsed.ok:
                message = f"tanggal '{_text(raw)[:24]}' tidak terbaca ({parsed.problem})"
        elif column.type == "number":
            value, message = _number_field(raw, column)
        else:
            value = _text(raw)
        if message:
            add_error(RowError(row_number, header, message))
            failed = True
            continue
        if column.required and (value is None or value == ""):
            add_error(RowError(row_number, header, "wajib diisi"))
            failed = True
            continue
        values[column.field] = value
    for group in spec.one_of:
        if not any(values.get(f) not in (None, "") for f in group):
            add_error(
                RowError(
                    row_number, "/".join(headers.get(f, f) for f in group), "salah satu wajib diisi"
                )
            )
            failed = True
    if failed:
        return None
    return build_record(values, row_number, spec, gazetteer, reference)


def build_record(
    values: Mapping[str, Any],
    row_number: int,
    spec: SourceSpec,
    gazetteer: std.Gazetteer,
    reference: date,
) -> StandardRecord:
    """The standard form of one validated row (names, dates, NIK facts, address, region)."""
    name = values.get("name") or ""
    record = StandardRecord(
        row_number=row_number,
        name=name[:160],
        name_std=std.standardise_name(name)[:160],
        name_key=std.name_key(name)[:160],
        external_id=str(values.get("external_id") or "")[:40],
        nik=values.get("nik") or "",
        kk=values.get("kk") or "",
        sex=values.get("sex") or spec.sex or "",
        birth_place=(values.get("birth_place") or "")[:80],
        truth=(values.get("truth") or "")[:40],
    )
    mother = values.get("mother_name") or ""
    record.mother_name = mother[:160]
    record.mother_key = std.name_key(mother)[:160]
    record.spouse_key = std.name_key(values.get("spouse_name") or "")[:160]

    parsed: std.ParsedDate | None = values.get("birth_date")
    if parsed is not None:
        record.birth_date = parsed.value
        record.birth_year = parsed.year
    elif values.get("age") is not None:
        on: std.ParsedDate | None = values.get("visit_date")
        year = (on.year if on and on.year else reference.year) - int(values["age"])
        record.birth_year = year  # age at a visit: the year is right or one too high
        record.data["age"] = values["age"]

    facts = std.nik_facts(record.nik, birth_year=record.birth_year, reference=reference)
    if facts is not None:
        if not record.sex and facts.sex:
            record.sex = facts.sex
        elif facts.sex and record.sex != facts.sex:
            record.warnings.append("jenis kelamin berbeda dengan NIK")
        if record.birth_date is None and record.birth_year is None and facts.birth_date:
            record.birth_date = facts.birth_date
            record.birth_year = facts.birth_date.year
        elif facts.birth_date and record.birth_date and facts.birth_date != record.birth_date:
            record.warnings.append("tanggal lahir berbeda dengan NIK")

    address = std.parse_address(values.get("address") or "")
    record.address = (values.get("address") or "")[:200]
    rt, rw = values.get("rt"), values.get("rw")
    record.rt = f"{rt:03d}" if isinstance(rt, int) and rt > 0 else address.rt
    record.rw = f"{rw:03d}" if isinstance(rw, int) and rw > 0 else address.rw

    village, district = std.match_region(values.get("desa"), values.get("kecamatan"), gazetteer)
    record.village_code = village or ""
    record.district_code = district or ""
    if values.get("desa") and not village:
        record.warnings.append(f"desa '{values['desa']}' tidak cocok dengan kode wilayah")

    for column in spec.columns:
        if column.extra and values.get(column.field) not in (None, ""):
            value = values[column.field]
            if isinstance(value, std.ParsedDate):
                value = value.value.isoformat() if value.value else value.year
            elif isinstance(value, datetime | date):
                value = value.isoformat()
            record.data[column.field] = value
    if values.get("desa"):
        record.data["desa"] = values["desa"]
    return record


# -- bulk path -----------------------------------------------------------------------


def engine_columns_from_rows(
    source_type: str,
    rows: Iterable[Mapping[str, str]],
    *,
    gazetteer: std.Gazetteer,
    reference: date,
    first_id: int = 1,
    columns: dict[str, list[Any]] | None = None,
) -> dict[str, list[Any]]:
    """Linkage-engine columns straight from rows of text (header → value), for bulk jobs.

    The same standardisation as :func:`build_record` (names, dates, age, NIK
    facts, desa codes), without per-row validation and without building a
    record object per row: each distinct name, date and place is standardised
    once. Unreadable values count as missing. The row-by-row definition of
    :func:`engine_table` (which uses it for rows its SQL does not cover); tests
    keep both equal to the import path. Appends to ``columns`` when given.
    """
    from terpadu.registry.linkage import CARRIED, COLUMNS, pseudo_nik12

    spec = load_spec(source_type)
    out = columns if columns is not None else {c: [] for c in (*COLUMNS, *CARRIED)}
    field_names = {c.field: c.names for c in spec.columns}
    header: dict[str, str] = {}
    names: dict[str, tuple[str, str, str]] = {}
    dates: dict[str, std.ParsedDate] = {}
    col = {name: out[name].append for name in out}
    uid = first_id
    fixed_sex = spec.sex or None
    sexes: dict[str, str | None] = {}
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return out
    keys = {header_key(k): k for k in first}
    for f, aliases in field_names.items():
        found = next((keys[a] for a in aliases if a in keys), None)
        if found is not None:
            header[f] = found
    h_name, h_mother, h_spouse = (
        header.get("name"),
        header.get("mother_name"),
        header.get("spouse_name"),
    )
    h_birth, h_age, h_visit = header.get("birth_date"), header.get("age"), header.get("visit_date")
    h_nik, h_kk, h_sex = header.get("nik"), header.get("kk"), header.get("sex")
    h_desa, h_kec, h_truth = header.get("desa"), header.get("kecamatan"), header.get("truth")
    for row in itertools.chain((first,), rows):
        name = (row.get(h_name) or "").strip() if h_name else ""
        key_parts = names.get(name)
        if key_parts is None:
            key = std.name_key(name)
            words = key.split()
            key_parts = (key, words[0] if words else "", words[-1] if len(words) > 1 else "")
            names[name] = key_parts
        mother_key = ""
        if h_mother:
            mother = row.get(h_mother) or ""
            cached = names.get(mother)
            mother_key = cached[0] if cached else std.name_key(mother)
        spouse = (row.get(h_spouse) or "") if h_spouse else ""
        spouse_key = std.name_key(spouse) if spouse else ""
        raw_birth = (row.get(h_birth) or "").strip() if h_birth else ""
        birth_date: date | None = None
        birth_year: int | None = None
        if raw_birth:
            parsed = dates.get(raw_birth)
            if parsed is None:
                parsed = std.parse_date(raw_birth, reference=reference)
                dates[raw_birth] = parsed
            birth_date, birth_year = parsed.value, parsed.year
        elif h_age:
            age = (row.get(h_age) or "").strip()
            if age.isdigit():
                visit = (row.get(h_visit) or "") if h_visit else ""
                on = std.parse_date(visit, reference=reference).year if visit else None
                birth_year = (on or reference.year) - int(age)
        nik = (row.get(h_nik) or "") if h_nik else ""
        if len(nik) != 16 or not nik.isdigit():
            nik = clean_nik(nik)
            if len(nik) != 16 or not nik.isdigit():
                nik = ""
        raw_sex = (row.get(h_sex) or "") if h_sex else ""
        if raw_sex in sexes:
            sex = sexes[raw_sex]
        else:
            sex = sexes[raw_sex] = std.parse_sex(raw_sex)
        sex = sex or fixed_sex
        if nik and (sex is None or birth_year is None):
            facts = std.nik_facts(nik, birth_year=birth_year, reference=reference)
            if facts is not None:
                sex = sex or facts.sex
                if birth_year is None and facts.birth_date:
                    birth_date, birth_year = facts.birth_date, facts.birth_date.year
        kk = (row.get(h_kk) or "") if h_kk else ""
        if kk and (len(kk) != 16 or not kk.isdigit()):
            kk = clean_nik(kk)
        place_key = (
            (row.get(h_desa) or "") if h_desa else "",
            (row.get(h_kec) or "") if h_kec else "",
        )
        v, d = std.match_region(place_key[0], place_key[1], gazetteer)
        place = (v or "", d or "")
        col["unique_id"](uid)
        uid += 1
        col["source"](source_type)
        col["nik"](nik or None)
        prefix = nik[:12] if nik else pseudo_nik12(place[1], birth_date, sex or "")
        col["nik12"](prefix or None)
        col["kk"](kk if len(kk) == 16 and kk.isdigit() else None)
        col["name_key"](key_parts[0] or None)
        col["first_key"](key_parts[1] or None)
        col["last_key"](key_parts[2] or None)
        col["sex"](sex)
        col["birth_date"](birth_date.isoformat() if birth_date else None)
        col["birth_year"](birth_year)
        col["village"](place[0] or None)
        col["district"](place[1] or None)
        col["mother_key"](mother_key or None)
        col["spouse_key"](spouse_key or None)
        col["person_id"](None)
        col["truth"](((row.get(h_truth) or "") if h_truth else "") or None)
    return out


def engine_table(
    extracts: Iterable[tuple[str, Any]],
    *,
    gazetteer: std.Gazetteer,
    reference: date,
    first_id: int = 1,
    threads: int = 2,
) -> Any:
    """The linkage engine's Arrow table for whole extracts, standardised set-based in SQL.

    ``extracts`` are ``(source_type, table)`` pairs, ``table`` an Arrow table of
    text columns named as in the file (headers mapped as in an import). The
    values are those of :func:`engine_columns_from_rows` (tested equal), but each
    distinct name, word, date, sex and place is standardised once for all
    extracts (:mod:`terpadu.registry.standardise_sql`) and joined back to the
    rows in DuckDB. Row ids run from ``first_id`` in the given order (the rows of
    the result come in no particular order: sort by ``unique_id`` when it
    matters). A row with
    a character outside printable ASCII in a name, date, age, NIK or KK goes
    through :func:`engine_columns_from_rows` instead.
    """
    import duckdb
    import pyarrow as pa

    from terpadu.registry import standardise_sql as sql
    from terpadu.registry.linkage import CARRIED, COLUMNS, to_arrow

    types = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "VARCHAR": pa.string()}
    schema = pa.schema([(c, types[t]) for c, t in {**COLUMNS, **CARRIED}.items()])
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads)}")
    con.execute("SET preserve_insertion_order = false")
    parts = []
    tables: dict[int, tuple[str, Any]] = {}
    offset = first_id
    for number, (source_type, table) in enumerate(extracts):
        spec = load_spec(source_type)
        keys = {header_key(k): k for k in table.column_names}
        header = {}
        for column in spec.columns:
            found = next((keys[a] for a in column.names if a in keys), None)
            if found is not None:
                header[column.field] = found
        con.register(
            f"extract_{number}",
            table.append_column("_row", pa.array(range(table.num_rows), pa.int64())),
        )
        tables[number] = (source_type, table)
        values = {
            f: f"coalesce(CAST({sql.quote_identifier(header[f])} AS VARCHAR), '')"
            if f in header
            else "''"
            for f in _BULK_FIELDS
        }
        text = " || ".join(values[f] for f in _BULK_FIELDS[:8])
        # As engine_columns_from_rows reads them: name, birth date and age stripped.
        for f in ("name", "birth_date", "age"):
            values[f] = f"trim({values[f]})"
        parts.append(
            f"""SELECT {offset} + _row AS unique_id, {number} AS extract,
                {sql.quote(source_type)} AS source,
                {sql.quote(spec.sex) if spec.sex else "NULL"} AS fixed_sex,
                regexp_full_match({text}, '{sql.PRINTABLE}') AS printable,
                {", ".join(f"{values[f]} AS {f}" for f in _BULK_FIELDS)},
                {"mother_name" in header} AS has_mother, {"age" in header} AS has_age
            FROM extract_{number}"""  # noqa: S608
        )
        offset += table.num_rows
    if not parts:
        return to_arrow({c: [] for c in schema.names})
    con.execute("CREATE TEMP TABLE rows AS " + " UNION ALL ".join(parts))
    odd = con.execute(
        "SELECT unique_id, extract FROM rows WHERE NOT printable ORDER BY unique_id"
    ).fetchall()
    con.execute("DELETE FROM rows WHERE NOT printable")
    con.execute(
        """CREATE TEMP TABLE name_in AS
        SELECT name AS raw FROM rows UNION SELECT mother_name FROM rows
        UNION SELECT spouse_name FROM rows"""
    )
    sql.names(con, "name_in", "name_out")
    con.execute(
        """CREATE TEMP TABLE date_in AS
        SELECT birth_date AS raw FROM rows UNION SELECT visit_date FROM rows"""
    )
    sql.dates(con, "date_in", "date_out", reference=reference)
    con.execute("CREATE TEMP TABLE sex_out (raw VARCHAR, sex VARCHAR)")
    sexes = [r[0] for r in con.execute("SELECT DISTINCT sex FROM rows").fetchall()]
    if sexes:
        con.executemany("INSERT INTO sex_out VALUES (?, ?)", [[x, std.parse_sex(x)] for x in sexes])
    con.execute(
        "CREATE TEMP TABLE place_out (desa VARCHAR, kecamatan VARCHAR, village VARCHAR, "
        "district VARCHAR)"
    )
    places = con.execute("SELECT DISTINCT desa, kecamatan FROM rows").fetchall()
    if places:
        con.executemany(
            "INSERT INTO place_out VALUES (?, ?, ?, ?)",
            [[d, k, *std.match_region(d, k, gazetteer)] for d, k in places],
        )

    def id_number(column: str) -> str:
        """A NIK or KK: 16 digits as written or once spaces, dots and dashes are dropped."""
        clean = sql.clean_number(column)
        return (
            f"CASE WHEN regexp_full_match({column}, '[0-9]{{16}}') THEN {column} "
            f"WHEN regexp_full_match({clean}, '[0-9]{{16}}') THEN {clean} END"
        )

    # The birth year from an age, when no birth date is written: the visit's year − age.
    age_year = (
        "CASE WHEN r.has_age AND regexp_full_match(r.age, '[0-9]{1,9}') "
        f"THEN coalesce(v.year, {reference.year}) - CAST(r.age AS BIGINT) END"
    )
    # What a NIK tells when the row does not: sex, and the birth date when no year is known.
    pseudo = (
        "replace(district, '.', '') "
        "|| lpad(CAST(day(birth) + CASE WHEN sex = 'P' THEN 40 ELSE 0 END AS VARCHAR), 2, '0') "
        "|| lpad(CAST(month(birth) AS VARCHAR), 2, '0') "
        "|| lpad(CAST(year(birth) % 100 AS VARCHAR), 2, '0')"
    )
    result = con.sql(
        f"""SELECT unique_id, source, nik,
            CASE WHEN nik IS NOT NULL THEN nik[1:12]
                 WHEN length(replace(district, '.', '')) = 6 AND birth IS NOT NULL
                      AND sex IN ('L', 'P') THEN {pseudo} END AS nik12,
            kk, nullif(name_key, '') AS name_key,
            nullif(split_part(name_key, ' ', 1), '') AS first_key,
            CASE WHEN strpos(name_key, ' ') > 0 THEN split_part(name_key, ' ', -1) END
                AS last_key,
            sex, strftime(birth, '%Y-%m-%d') AS birth_date,
            CAST(birth_year AS INTEGER) AS birth_year,
            nullif(village, '') AS village, nullif(district, '') AS district,
            nullif(mother_key, '') AS mother_key, nullif(spouse_key, '') AS spouse_key,
            CAST(NULL AS BIGINT) AS person_id, truth
        FROM (
            SELECT * EXCLUDE (birth_date, birth_year, written_sex),
                coalesce(written_sex, CASE WHEN nik IS NOT NULL THEN {sql.nik_sex("nik")} END)
                    AS sex,
                CASE WHEN birth_year IS NULL THEN nik_birth ELSE birth_date END AS birth,
                coalesce(birth_year, year(nik_birth)) AS birth_year
            FROM (
                SELECT *, CASE WHEN nik IS NOT NULL AND birth_year IS NULL
                               THEN {sql.nik_birth("nik", reference)} END AS nik_birth
                FROM (
                    SELECT r.unique_id, r.source, {id_number("r.nik")} AS nik,
                        {id_number("r.kk")} AS kk, n.name_key,
                        coalesce(s.sex, r.fixed_sex) AS written_sex,
                        CASE WHEN r.birth_date <> '' THEN b.value END AS birth_date,
                        CASE WHEN r.birth_date <> '' THEN b.year ELSE {age_year} END
                            AS birth_year,
                        p.village, p.district,
                        CASE WHEN r.has_mother THEN m.name_key END AS mother_key,
                        CASE WHEN r.spouse_name <> '' THEN w.name_key END AS spouse_key,
                        nullif(r.truth, '') AS truth
                    FROM rows r
                    JOIN name_out n ON n.raw = r.name
                    LEFT JOIN name_out m ON m.raw = r.mother_name
                    LEFT JOIN name_out w ON w.raw = r.spouse_name
                    LEFT JOIN date_out b ON b.raw = r.birth_date
                    LEFT JOIN date_out v ON v.raw = r.visit_date AND r.visit_date <> ''
                    LEFT JOIN sex_out s ON s.raw = r.sex
                    LEFT JOIN place_out p ON p.desa = r.desa AND p.kecamatan = r.kecamatan
                )
            )
        )"""  # noqa: S608
    ).to_arrow_table()
    con.close()
    result = result.select(schema.names).cast(schema)
    if not odd:
        return result
    # Rows the SQL does not cover, row by row in Python (rare: accents, tabs, other scripts).
    extra: dict[str, list[Any]] | None = None
    starts = {n: offset for n, offset in _starts(tables, first_id).items()}
    for uid, n in odd:
        source_type, table = tables[n]
        row = table.slice(uid - starts[n], 1).to_pylist()[0]
        extra = engine_columns_from_rows(
            source_type,
            [row],
            gazetteer=gazetteer,
            reference=reference,
            first_id=uid,
            columns=extra,
        )
    assert extra is not None
    return pa.concat_tables([result, to_arrow(extra).cast(schema)])


#: Extract fields the bulk path reads; the first eight are standardised in SQL.
_BULK_FIELDS = (
    "name",
    "mother_name",
    "spouse_name",
    "birth_date",
    "age",
    "visit_date",
    "nik",
    "kk",
    "sex",
    "desa",
    "kecamatan",
    "truth",
)


def _starts(tables: Mapping[int, tuple[str, Any]], first_id: int) -> dict[int, int]:
    out, offset = {}, first_id
    for n in sorted(tables):
        out[n] = offset
        offset += tables[n][1].num_rows
    return out
