"""Linking people in CSV files, outside the person index: ``terpadu link dedupe|pair``.

No Django here, and Splink, DuckDB and PyArrow are imported only inside
functions (as in :mod:`terpadu.registry.linkage`).

A file has one record per row. Its columns play **roles** (:data:`ROLES`):
``id`` (required, unique), ``nik``, ``full_name`` or ``given_name`` +
``family_name``, ``birth_date`` (``YYYY-MM-DD``; ``YYYYMMDD`` is read too),
``sex``, ``address``, ``locality``, ``mother_name``. A column named after a
role plays it without being mapped; ``--map role=column`` names another
column, and ``--map role=a+b+c`` joins several columns with spaces (a street
number, street and second address line into one address). Other columns are
ignored.

Values are standardised with :mod:`terpadu.registry.standardise` (the
registry's Indonesian name keys, sex codes, address and place cleaning). A
value that cannot be read counts as missing and is reported with its row
numbers; a missing id or a repeated id stops the run (:class:`InputError`).

A CSV comes without a trained model, so the model is trained on the input
itself (:func:`train`): λ from exact identity-number or name + birth-date
agreement, *u* from random pairs, *m* by EM on two or three blocks. The
comparisons and blocking rules follow the registry engine's
(docs/registry.md) but only for the roles the files have: the registry's saved
model is trained on desa codes, KK numbers and source types that a generic
CSV does not carry. ``--save-model`` / ``--model`` keep a trained CSV model for
later files with the same roles.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from terpadu.core.nik import clean_nik
from terpadu.registry import linkage
from terpadu.registry import standardise as std
from terpadu.registry.sources import FileProblem, header_key, read_rows

logger = logging.getLogger(__name__)

ROLES: tuple[str, ...] = (
    "id",
    "nik",
    "full_name",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "address",
    "locality",
    "mother_name",
)
#: Engine columns of a CSV record and their types.
CSV_COLUMNS: dict[str, str] = {
    "unique_id": "BIGINT",
    "nik": "VARCHAR",
    "nik12": "VARCHAR",
    "name_key": "VARCHAR",
    "first_key": "VARCHAR",
    "last_key": "VARCHAR",
    "given_key": "VARCHAR",
    "family_key": "VARCHAR",
    "birth_date": "VARCHAR",
    "birth_year": "INTEGER",
    "sex": "VARCHAR",
    "address_key": "VARCHAR",
    "address_number": "VARCHAR",
    "locality_key": "VARCHAR",
    "mother_key": "VARCHAR",
}
#: Rows listed per role in the summary of unreadable values (the count is always whole).
LISTED_ROWS = 100
MODEL_KIND = "terpadu-csv-link"
MODEL_VERSION = 1
#: Share of true pairs assumed to agree exactly on an identity number or on name and
#: birth date, for λ (Splink's documented FEBRL examples assume 0.7–0.8).
DETERMINISTIC_RECALL = 0.8
#: Random pairs for the *u* probabilities (as the registry's training).
U_PAIRS = 1e6
#: EM blocks with fewer pairs are skipped (Splink's defaults stand for what they would train).
MIN_EM_PAIRS = 10


class InputError(Exception):
    """The run cannot go on (a missing or repeated id, an unknown role, no such file)."""


# -- reading --------------------------------------------------------------------------


def parse_map(items: Sequence[str]) -> dict[str, list[str]]:
    """``["nik=No KTP", "address=jalan+rt"]`` → ``{"nik": ["No KTP"], "address": ["jalan", "rt"]}``."""
    out: dict[str, list[str]] = {}
    for item in items:
        role, sep, columns = item.partition("=")
        role = role.strip()
        if not sep or not role or not columns.strip():
            raise InputError(f"--map '{item}': tulis peran=kolom (contoh: nik=No_KTP)")
        if role not in ROLES:
            raise InputError(
                f"--map '{item}': peran '{role}' tidak dikenal (peran: {', '.join(ROLES)})"
            )
        if role in out:
            raise InputError(f"--map: peran '{role}' dipetakan dua kali")
        parts = [c.strip() for c in columns.split("+")]
        if any(not c for c in parts):
            raise InputError(f"--map '{item}': nama kolom kosong")
        out[role] = parts
    return out


@dataclass
class Records:
    """One file read into engine columns."""

    path: str
    ids: list[str]
    columns: dict[str, list[Any]]
    used: dict[str, str]  # role → the file's column(s), as written
    ignored: list[str]
    unreadable: dict[str, list[int]] = field(default_factory=dict)  # role → row numbers

    @property
    def count(self) -> int:
        return len(self.ids)

    def roles_with_values(self) -> set[str]:
        """Roles mapped to a column that has at least one readable value."""
        have: set[str] = set()
        checks = {
            "nik": "nik",
            "birth_date": "birth_date",
            "sex": "sex",
            "address": "address_key",
            "locality": "locality_key",
            "mother_name": "mother_key",
            "given_name": "given_key",
            "family_name": "family_key",
        }
        for role in self.used:
            column = checks.get(role, "name_key" if role == "full_name" else "")
            if column and any(v is not None for v in self.columns[column]):
                have.add(role)
        return have

    def unreadable_summary(self) -> dict[str, dict[str, Any]]:
        return {
            role: {
                "column": self.used.get(role, ""),
                "count": len(rows),
                "rows": rows[:LISTED_ROWS],
            }
            for role, rows in self.unreadable.items()
            if rows
        }


def _header_positions(
    header: list[Any], mapping: Mapping[str, list[str]], label: str
) -> tuple[dict[str, list[int]], list[str]]:
    texts = [" ".join(str(h or "").split()) for h in header]
    keys = [header_key(t) for t in texts]

    def find(column: str) -> int:
        if column in texts:
            return texts.index(column)
        key = header_key(column)
        if key and key in keys:
            return keys.index(key)
        raise InputError(f"{label}: kolom '{column}' tidak ada (kolom: {', '.join(texts)})")

    positions: dict[str, list[int]] = {}
    for role in ROLES:
        if role in mapping:
            positions[role] = [find(c) for c in mapping[role]]
        elif role in keys:
            positions[role] = [keys.index(role)]
    if "id" not in positions:
        raise InputError(
            f"{label}: baris 1: tidak ada kolom id (beri nama 'id' atau --map id=KOLOM)"
        )
    # given/family name win over a full name when both are there
    if "full_name" in positions and ("given_name" in positions or "family_name" in positions):
        del positions["full_name"]
    used_positions = {i for ps in positions.values() for i in ps}
    ignored = [t for i, t in enumerate(texts) if i not in used_positions and t]
    return positions, ignored


def _cell(row: list[Any], positions: list[int]) -> str:
    parts = []
    for i in positions:
        if i < len(row) and row[i] is not None:
            value = row[i]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            text = " ".join(str(value).split())
            if text:
                parts.append(text)
    return " ".join(parts)


def _excel_number(row: list[Any], i: int) -> bool:
    value = row[i] if i < len(row) else None
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 1e14


_ISO = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")


def parse_iso_date(text: str, *, reference: date) -> date | None:
    """``YYYY-MM-DD`` or ``YYYYMMDD`` (ISO 8601), a real date from 1850 up to ``reference``."""
    match = _ISO.fullmatch(text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if year < 1850 or value > reference:
        return None
    return value


def _keys(name: str) -> tuple[str, list[str]]:
    key = std.name_key(name) if name else ""
    return key, key.split()


def read_records(
    path: Path, mapping: Mapping[str, list[str]], *, reference: date, first_uid: int = 0
) -> Records:
    """Read and standardise one file; raise :class:`InputError` for what stops the run."""
    label = str(path)
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{label}: berkas tidak ditemukan") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise InputError(f"{label}: tidak dapat dibaca ({exc.strerror})") from None
    try:
        rows = read_rows(content, path.name)
        header = next(rows, None)
    except FileProblem as exc:
        raise InputError(f"{label}: {exc}") from None
    if not header or not any(str(h or "").strip() for h in header):
        raise InputError(f"{label}: berkas kosong atau tanpa baris judul")
    positions, ignored = _header_positions(header, mapping, label)
    texts = [" ".join(str(h or "").split()) for h in header]
    used = {role: "+".join(texts[i] for i in ps) for role, ps in positions.items()}
    cols: dict[str, list[Any]] = {name: [] for name in CSV_COLUMNS}
    add = {name: cols[name].append for name in cols}
    ids: list[str] = []
    seen: dict[str, int] = {}
    unreadable: dict[str, list[int]] = {role: [] for role in positions if role != "id"}
    p = positions
    split_names = "given_name" in p or "family_name" in p
    try:
        for offset, row in enumerate(rows):
            row_number = offset + 2
            if not any(str(v or "").strip() for v in row):
                continue
            rid = _cell(row, p["id"])
            if not rid:
                raise InputError(f"{label}: baris {row_number}: id kosong")
            if rid in seen:
                raise InputError(
                    f"{label}: baris {row_number}: id '{rid[:40]}' sudah dipakai di baris {seen[rid]}"
                )
            seen[rid] = row_number
            ids.append(rid)
            add["unique_id"](first_uid + len(ids) - 1)

            def bad(role: str, row_number: int = row_number) -> None:
                unreadable[role].append(row_number)

            # identity number: a NIK (16 digits) or another country's number (5–20 digits)
            nik = ""
            if "nik" in p:
                raw = _cell(row, p["nik"])
                digits = clean_nik(raw)
                if any(_excel_number(row, i) for i in p["nik"]):
                    bad("nik")  # Excel kept 15 digits: the 16th is already lost
                elif digits and digits.isdigit() and 5 <= len(digits) <= 20:
                    nik = digits
                elif raw:
                    bad("nik")
            # names
            if split_names:
                given_raw = _cell(row, p["given_name"]) if "given_name" in p else ""
                family_raw = _cell(row, p["family_name"]) if "family_name" in p else ""
                given, given_words = _keys(given_raw)
                family, family_words = _keys(family_raw)
                if given_raw and not given:
                    bad("given_name")
                if family_raw and not family:
                    bad("family_name")
                key = " ".join(w for w in (given, family) if w)
                first = given_words[0] if given_words else None
                last = family_words[-1] if family_words else None
            else:
                full_raw = _cell(row, p["full_name"]) if "full_name" in p else ""
                key, words = _keys(full_raw)
                if full_raw and not key:
                    bad("full_name")
                given = family = ""
                first = words[0] if words else None
                last = words[-1] if len(words) > 1 else None
            # birth date
            birth: date | None = None
            if "birth_date" in p:
                raw = _cell(row, p["birth_date"])
                birth = parse_iso_date(raw, reference=reference) if raw else None
                if raw and birth is None:
                    bad("birth_date")
            sex: str | None = None
            if "sex" in p:
                raw = _cell(row, p["sex"])
                sex = std.parse_sex(raw) if raw else None
                if raw and sex is None:
                    bad("sex")
            if len(nik) == 16 and (sex is None or birth is None):
                facts = std.nik_facts(nik, birth_year=None, reference=reference)
                if facts is not None:
                    sex = sex or facts.sex
                    birth = birth or facts.birth_date
            address = number = ""
            if "address" in p:
                raw = _cell(row, p["address"])
                parsed = std.parse_address(raw)
                address = " ".join(x for x in (parsed.street, parsed.rt, parsed.rw) if x)
                number = next((w for w in address.split() if w.isdigit()), "")
                if raw and not address:
                    bad("address")
            locality = ""
            if "locality" in p:
                raw = _cell(row, p["locality"])
                locality = std.clean_place_name(raw)
                if raw and not locality:
                    bad("locality")
            mother = ""
            if "mother_name" in p:
                raw = _cell(row, p["mother_name"])
                mother = std.name_key(raw) if raw else ""
                if raw and not mother:
                    bad("mother_name")
            add["nik"](nik or None)
            add["nik12"](nik[:12] if len(nik) == 16 else None)
            add["name_key"](key or None)
            add["first_key"](first or None)
            add["last_key"](last or None)
            add["given_key"](given or None)
            add["family_key"](family or None)
            add["birth_date"](birth.isoformat() if birth else None)
            add["birth_year"](birth.year if birth else None)
            add["sex"](sex)
            add["address_key"](address or None)
            add["address_number"](number or None)
            add["locality_key"](locality or None)
            add["mother_key"](mother or None)
    except FileProblem as exc:
        raise InputError(f"{label}: {exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{label}: berkas bukan teks UTF-8") from None
    except csv.Error as exc:
        raise InputError(f"{label}: CSV rusak: {exc}") from None
    if not ids:
        raise InputError(f"{label}: tidak ada baris data")
    return Records(label, ids, cols, used, ignored, unreadable)


def to_arrow(columns: Mapping[str, list[Any]]) -> Any:
    import pyarrow as pa

    types = {"BIGINT": pa.int64(), "INTEGER": pa.int32(), "VARCHAR": pa.string()}
    return pa.table(
        {name: pa.array(columns[name], type=types[kind]) for name, kind in CSV_COLUMNS.items()}
    )


# -- the model --------------------------------------------------------------------------


def _name_roles(roles: set[str]) -> str:
    if "given_name" in roles and "family_name" in roles:
        return "split"
    if roles & {"given_name", "family_name", "full_name"}:
        return "whole"
    return ""


def comparisons(roles: set[str]) -> list[Any]:
    """Splink comparisons for the roles present (the registry engine's levels where they apply)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    duck = "duckdb"
    out: list[Any] = []
    if "nik" in roles:
        out.append(
            cl.CustomComparison(
                output_column_name="nik",
                comparison_levels=[
                    cll.NullLevel("nik"),
                    cll.ExactMatchLevel("nik"),
                    cll.Or(
                        cll.DamerauLevenshteinLevel("nik", 1),
                        cll.CustomLevel(
                            "length(nik_l) = 16 AND length(nik_r) = 16 "
                            "AND (substr(nik_l, 1, 8) = substr(nik_r, 1, 8) "
                            "OR substr(nik_l, 9, 8) = substr(nik_r, 9, 8))",
                            base_dialect_str=duck,
                        ),
                    ).configure(label_for_charts="one digit wrong, or one half of a NIK equal"),
                    cll.ElseLevel(),
                ],
            )
        )
    names = _name_roles(roles)
    if names == "split":
        for column, other, label in (
            ("given_key", "family_key", "given"),
            ("family_key", "given_key", "family"),
        ):
            out.append(
                cl.CustomComparison(
                    output_column_name=label,
                    comparison_levels=[
                        cll.NullLevel(column),
                        cll.ExactMatchLevel(column),
                        cll.JaroWinklerLevel(column, 0.92),
                        cll.JaroWinklerLevel(column, 0.8),
                        cll.CustomLevel(
                            f"{column}_l = {other}_r OR {other}_l = {column}_r",
                            label_for_charts="given and family name swapped",
                            base_dialect_str=duck,
                        ),
                        cll.ElseLevel(),
                    ],
                )
            )
    elif names == "whole":
        out.append(linkage.name_key_comparison())
    if "birth_date" in roles:
        out.append(
            cl.CustomComparison(
                output_column_name="birth",
                comparison_levels=[
                    cll.NullLevel("birth_date"),
                    cll.ExactMatchLevel("birth_date"),
                    cll.Or(
                        cll.CustomLevel(
                            # one part slipped: the day, the year, or day and month swapped
                            "substr(birth_date_l, 1, 7) = substr(birth_date_r, 1, 7) "
                            "OR substr(birth_date_l, 5, 6) = substr(birth_date_r, 5, 6) "
                            "OR (substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) "
                            "AND substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) "
                            "AND substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2))",
                            base_dialect_str=duck,
                        ),
                        cll.DamerauLevenshteinLevel("birth_date", 1),
                    ).configure(label_for_charts="one part of the date slipped or one digit wrong"),
                    cll.CustomLevel(
                        "birth_year_l = birth_year_r",
                        label_for_charts="same year",
                        base_dialect_str=duck,
                    ),
                    cll.CustomLevel(
                        "abs(birth_year_l - birth_year_r) <= 1",
                        label_for_charts="year ±1",
                        base_dialect_str=duck,
                    ),
                    cll.ElseLevel(),
                ],
            )
        )
    if "sex" in roles:
        out.append(
            cl.CustomComparison(
                output_column_name="sex",
                comparison_levels=[
                    cll.NullLevel("sex"),
                    cll.ExactMatchLevel("sex"),
                    cll.ElseLevel(),
                ],
            )
        )
    for role, column, thresholds in (
        ("address", "address_key", (0.9, 0.8)),
        ("locality", "locality_key", (0.9,)),
        ("mother_name", "mother_key", (0.88,)),
    ):
        if role in roles:
            out.append(
                cl.CustomComparison(
                    output_column_name=role,
                    comparison_levels=[
                        cll.NullLevel(column),
                        cll.ExactMatchLevel(column),
                        *(cll.JaroWinklerLevel(column, t) for t in thresholds),
                        cll.ElseLevel(),
                    ],
                )
            )
    return out


#: Candidate pairs: (rule, the engine columns it needs). A pair is scored when any
#: rule whose columns the files have holds; as in the registry, no single slip (a name
#: word, a date part, a missing identity number or place) loses a pair.
BLOCKING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l.nik = r.nik", ("nik",)),
    ("l.nik12 = r.nik12", ("nik",)),
    ("l.name_key = r.name_key", ("name",)),
    ("l.first_key = r.first_key AND l.birth_date = r.birth_date", ("name", "birth_date")),
    ("l.last_key = r.last_key AND l.birth_date = r.birth_date", ("name", "birth_date")),
    ("l.first_key = r.last_key AND l.last_key = r.first_key", ("name",)),
    ("l.first_key = r.first_key AND l.locality_key = r.locality_key", ("name", "locality")),
    ("l.last_key = r.last_key AND l.locality_key = r.locality_key", ("name", "locality")),
    ("l.birth_date = r.birth_date AND l.locality_key = r.locality_key", ("birth_date", "locality")),
    ("l.address_key = r.address_key", ("address",)),
    # the house number (or RT) with one other field: the street itself mistyped
    ("l.address_number = r.address_number AND l.last_key = r.last_key", ("address", "name")),
    ("l.address_number = r.address_number AND l.first_key = r.first_key", ("address", "name")),
    (
        "l.address_number = r.address_number AND l.locality_key = r.locality_key",
        ("address", "locality"),
    ),
    (
        "l.address_number = r.address_number AND l.birth_date = r.birth_date",
        ("address", "birth_date"),
    ),
    (
        "l.mother_key = r.mother_key AND l.locality_key = r.locality_key",
        ("mother_name", "locality"),
    ),
    ("l.mother_key = r.mother_key AND l.birth_date = r.birth_date", ("mother_name", "birth_date")),
)


def _has(roles: set[str], need: str) -> bool:
    return bool(_name_roles(roles)) if need == "name" else need in roles


def blocking_rules(roles: set[str]) -> list[str]:
    return [rule for rule, needs in BLOCKING_RULES if all(_has(roles, n) for n in needs)]


def settings(roles: set[str], *, link_type: str, dialect: str) -> dict[str, Any]:
    """Untrained Splink settings for these roles, in ``dialect`` SQL."""
    from splink import SettingsCreator

    if not comparisons(roles):
        raise InputError("tidak ada kolom untuk dibandingkan (selain id)")
    rules = blocking_rules(roles)
    if not rules:
        raise InputError("tidak ada kolom untuk blok pasangan kandidat (nama, NIK, alamat …)")
    kind: Any = link_type
    rule_list: list[Any] = [*rules]
    creator = SettingsCreator(
        link_type=kind,
        unique_id_column_name="unique_id",
        comparisons=comparisons(roles),
        blocking_rules_to_generate_predictions=rule_list,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
        em_convergence=0.001,
    )
    return creator.get_settings(dialect).as_dict()


def _training_blocks(roles: set[str]) -> list[str]:
    """EM blocks: every comparison is trained in at least one block that does not fix it."""
    blocks = []
    names = _name_roles(roles)
    if names:
        blocks.append("l.name_key = r.name_key")
    if "birth_date" in roles:
        blocks.append("l.birth_date = r.birth_date")
    if "nik" in roles:
        blocks.append("l.nik = r.nik")
    if len(blocks) < 2 and "address" in roles:
        blocks.append("l.address_key = r.address_key")
    if len(blocks) < 2 and "locality" in roles:
        blocks.append("l.locality_key = r.locality_key")
    return blocks


def _deterministic_rules(roles: set[str]) -> list[str]:
    rules = []
    if "nik" in roles:
        rules.append("l.nik = r.nik")
    if _name_roles(roles) and "birth_date" in roles:
        rules.append("l.name_key = r.name_key AND l.birth_date = r.birth_date")
    elif _name_roles(roles) and "locality" in roles:
        rules.append("l.name_key = r.name_key AND l.locality_key = r.locality_key")
    if not rules:
        rules.append(_training_blocks(roles)[0])
    return rules


def _linker(frames: Any, model: Mapping[str, Any]) -> Any:
    from splink import Linker

    # Splink's warnings (a level not seen in one EM block, the size of the u sample) are
    # for notebooks; the command line prints its own summary.
    return Linker(frames, dict(model), log_level=logging.ERROR, validate_settings=False)


@dataclass
class Trained:
    model: dict[str, Any]
    seconds: float
    steps: dict[str, float]
    em_blocks: dict[str, int]  # EM block → its pairs (fewer than MIN_EM_PAIRS: skipped)


def _block_pairs(session: linkage.Session, frames: Sequence[Any], rule: str) -> int:
    left = frames[0].physical_name
    right = frames[-1].physical_name
    order = " AND l.unique_id < r.unique_id" if len(frames) == 1 else ""
    sql = f"SELECT count(*) FROM {left} l JOIN {right} r ON {rule}{order}"  # noqa: S608
    return int(session.sql(sql)[0][0])


def train(
    session: linkage.Session,
    frames: Sequence[Any],
    roles: set[str],
    *,
    link_type: str,
    all_pairs: int,
    seed: int = 2017,
) -> Trained:
    """Train the CSV model on the input itself (no truth is used)."""
    t0 = time.perf_counter()
    steps: dict[str, float] = {}
    linker = _linker(
        frames[0] if len(frames) == 1 else list(frames),
        settings(roles, link_type=link_type, dialect=session.dialect),
    )
    t = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        _deterministic_rules(roles), recall=DETERMINISTIC_RECALL
    )
    settings_obj = linker._settings_obj
    if not settings_obj._probability_two_random_records_match:
        # No pair agrees on those rules (a list without duplicates): expect at most one match.
        settings_obj._probability_two_random_records_match = 1 / max(all_pairs, 1)
    steps["lambda"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    # When the sample is every pair anyway, count them in one pass per comparison
    # (Splink's chunks then only add queries, which Spark pays for dearly).
    linker.training.estimate_u_using_random_sampling(
        max_pairs=U_PAIRS, seed=seed, num_chunks=1 if all_pairs <= U_PAIRS else 10
    )
    steps["u"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    blocks: dict[str, int] = {}
    for block in _training_blocks(roles):
        # A block with (almost) no pairs teaches EM nothing; Splink would stop on it.
        blocks[block] = _block_pairs(session, frames, block)
        if blocks[block] >= MIN_EM_PAIRS:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block, estimate_without_term_frequencies=True
            )
    steps["em"] = round(time.perf_counter() - t, 2)
    model = linker.misc.save_model_to_json()
    linkage._robust_parameters(model)
    model["terpadu"] = {
        "kind": MODEL_KIND,
        "version": MODEL_VERSION,
        "roles": sorted(roles),
        "link_type": link_type,
    }
    return Trained(model, round(time.perf_counter() - t0, 2), steps, blocks)


def check_model(model: Mapping[str, Any], roles: set[str], link_type: str) -> None:
    meta = model.get("terpadu") or {}
    if meta.get("kind") != MODEL_KIND:
        raise InputError("--model: bukan model terpadu link (buat dengan --save-model)")
    if set(meta.get("roles", [])) != roles:
        raise InputError(
            "--model: peran kolom berbeda dengan model "
            f"(model: {', '.join(sorted(meta.get('roles', [])))}; berkas: {', '.join(sorted(roles))})"
        )
    if meta.get("link_type") != link_type:
        raise InputError(f"--model: model untuk {meta.get('link_type')}, bukan {link_type}")


def model_for(model: Mapping[str, Any], dialect: str) -> dict[str, Any]:
    """A saved CSV model in ``dialect`` SQL: comparisons rebuilt, trained parameters kept."""
    roles = set(model["terpadu"]["roles"])
    fresh = settings(roles, link_type=model["terpadu"]["link_type"], dialect=dialect)
    saved = {c["output_column_name"]: c for c in model["comparisons"]}
    for comparison in fresh["comparisons"]:
        old = saved[comparison["output_column_name"]]["comparison_levels"]
        for new_level, old_level in zip(comparison["comparison_levels"], old, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in old_level:
                    new_level[key] = old_level[key]
    fresh["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    return fresh


# -- running -----------------------------------------------------------------------------


@dataclass
class Result:
    pairs: list[tuple[int, int, float]]  # unique ids, most probable first
    model: dict[str, Any]
    trained: Trained | None
    seconds: dict[str, float]


def _score(
    session: linkage.Session,
    tables: Sequence[Any],
    roles: set[str],
    *,
    link_type: str,
    min_probability: float,
    model: Mapping[str, Any] | None,
) -> Result:
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    frames = [session.register(table, f"csv_{i}") for i, table in enumerate(tables)]
    frames_arg = frames[0] if link_type == "dedupe_only" else frames
    seconds["load"] = round(time.perf_counter() - t, 2)
    dialect = session.dialect
    trained = None
    if model is None:
        sizes = [table.num_rows for table in tables]
        all_pairs = sizes[0] * (sizes[0] - 1) // 2 if len(sizes) == 1 else sizes[0] * sizes[1]
        trained = train(session, frames, roles, link_type=link_type, all_pairs=all_pairs)
        seconds["train"] = trained.seconds
        use = trained.model
    else:
        use = dict(model)
    t = time.perf_counter()
    linker = _linker(frames_arg, model_for(use, dialect))
    scored = linker.inference.predict(
        threshold_match_probability=min_probability, warning_mode="never"
    )
    rows = session.sql(
        f"SELECT unique_id_l, unique_id_r, match_probability FROM {scored.physical_name}"  # noqa: S608
    )
    pairs = [(int(a), int(b), float(p)) for a, b, p in rows]
    pairs.sort(key=lambda x: (-x[2], min(x[0], x[1]), max(x[0], x[1])))
    seconds["score"] = round(time.perf_counter() - t, 2)
    return Result(pairs, use, trained, seconds)


def open_session(engine: str, threads: int) -> linkage.Session:
    return linkage.Session(backend=engine, threads=threads)


def dedupe(
    records: Records,
    *,
    engine: str = "duckdb",
    threads: int = 2,
    threshold: float = 0.95,
    min_probability: float | None = None,
    model: Mapping[str, Any] | None = None,
) -> tuple[dict[int, int], Result]:
    """Clusters (unique id → the unique id of its first record) and the scored pairs."""
    roles = records.roles_with_values()
    if model is not None:
        check_model(model, roles, "dedupe_only")
    session = open_session(engine, threads)
    try:
        result = _score(
            session,
            [to_arrow(records.columns)],
            roles,
            link_type="dedupe_only",
            min_probability=min(threshold, min_probability if min_probability is not None else 1),
            model=model,
        )
    finally:
        session.close()
    t = time.perf_counter()
    ids = records.columns["unique_id"]
    clusters = linkage.cluster(ids, result.pairs, auto_link=threshold)
    first: dict[int, int] = {}
    for uid in ids:  # file order: a cluster is named after its first record
        first.setdefault(clusters.root[uid], uid)
    result.seconds["cluster"] = round(time.perf_counter() - t, 2)
    return {uid: first[clusters.root[uid]] for uid in ids}, result


def link_pair(
    left: Records,
    right: Records,
    *,
    engine: str = "duckdb",
    threads: int = 2,
    threshold: float = 0.95,
    min_probability: float | None = None,
    one_to_one: bool = False,
    model: Mapping[str, Any] | None = None,
) -> tuple[list[tuple[int, int, float]], Result]:
    """Pairs (left unique id, right unique id, probability) at or above the written minimum."""
    roles = left.roles_with_values() & right.roles_with_values()
    if model is not None:
        check_model(model, roles, "link_only")
    session = open_session(engine, threads)
    lowest = min(threshold, min_probability if min_probability is not None else 1)
    try:
        result = _score(
            session,
            [to_arrow(left.columns), to_arrow(right.columns)],
            roles,
            link_type="link_only",
            min_probability=lowest,
            model=model,
        )
    finally:
        session.close()
    boundary = left.count  # left unique ids are 0..n-1, right ones n..
    oriented = [(a, b, p) if a < boundary else (b, a, p) for a, b, p in result.pairs]
    if one_to_one:
        used_l: set[int] = set()
        used_r: set[int] = set()
        kept = []
        for a, b, p in oriented:  # most probable first
            if p >= threshold and (a in used_l or b in used_r):
                continue
            if p >= threshold:
                used_l.add(a)
                used_r.add(b)
            kept.append((a, b, p))
        oriented = kept
    return oriented, result


def write_csv(path: Path, header: Sequence[str], rows: Iterator[Sequence[Any]]) -> None:
    """Write a CSV file whole or not at all (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(tmp, path)


def save_model(model: Mapping[str, Any], path: Path) -> None:
    linkage.save_model(model, path)


def load_model(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise InputError(f"--model {path}: berkas tidak ditemukan") from None
    except (ValueError, UnicodeDecodeError):
        raise InputError(f"--model {path}: bukan JSON") from None
