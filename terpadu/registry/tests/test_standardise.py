"""Standardisation of Indonesian names, dates, NIKs and addresses (pure functions)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terpadu.registry.standardise import (
    Gazetteer,
    match_region,
    name_key,
    nik_facts,
    parse_address,
    parse_date,
    parse_sex,
    standardise_name,
)

TODAY = date(2026, 1, 1)

# Eighteen spellings of one name that an English phonetic code (Soundex, Metaphone)
# mostly fails on: Muhammad forms, Siti, the old spellings, titles and degrees,
# Madurese h/kh, dh/d, sy/s, j/y.
NAME_VARIANTS = [
    ("Muhammad Arif", "Moh. Arif"),
    ("Mochammad Yusuf", "M. Jusuf"),
    ("Mohamad Ali", "Muhamad Ali"),
    ("Siti Aminah", "Sitti Aminah"),
    ("Soekarno", "Sukarno"),
    ("Djoko Santoso", "Joko Santoso"),
    ("Tjahjono", "Cahyono"),
    ("Achmad Fauzi", "Ahmad Fauzi"),
    ("Choirul Anam", "Khoirul Anam"),
    ("Sjamsul Arifin", "Syamsul Arifin"),
    ("Njoman Suarta", "Nyoman Suarta"),
    ("Kholil", "Holil"),
    ("Khotimah", "Hotimah"),
    ("Ramadhan", "Ramadan"),
    ("H. Abdul Rohman", "Abdul Rohman"),
    ("Hj. Siti Maryam, S.Pd.", "SITI MARYAM"),
    ("Drs. Suparno, M.Pd.", "suparno"),
    ("Abdoel Ghofur", "Abdul Ghofur"),
]


@pytest.mark.parametrize(("a", "b"), NAME_VARIANTS)
def test_the_eighteen_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_different_names_keep_different_keys() -> None:
    assert name_key("Siti Aminah") != name_key("Siti Aisyah")
    assert name_key("Joko") != name_key("Eko")
    assert name_key("Sutrisno") != name_key("Sutarno")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  hj.  SITI   maryam , S.Pd. ", "siti maryam"),
        ("Drs. H. Suparno, M.Pd.", "suparno"),
        ("dr. Yusuf Hidayat", "yusuf hidayat"),
        ("Ny. Sumiati", "sumiati"),
        ("H.M. Arif", "muhammad arif"),
        ("Moch. Djoko Tjahjono", "muhammad joko cahyono"),
        ("Ma'ruf Amin", "maruf amin"),
        ("I Wayan Sudarma", "i wayan sudarma"),
        ("Sitti Nurhaliza", "siti nurhaliza"),
        ("Sutrisno SPd", "sutrisno"),
        ("M", "m"),  # a lone initial is not Muhammad
        ("H", "h"),  # nor is a lone H a title
        ("", ""),
    ],
)
def test_standard_name(raw: str, expected: str) -> None:
    assert standardise_name(raw) == expected


@given(st.text(max_size=60))
def test_standardisation_never_fails_and_is_stable(text: str) -> None:
    std = standardise_name(text)
    assert std == std.strip() and "  " not in std
    assert standardise_name(std) == std
    assert name_key(std) == name_key(text)


@pytest.mark.parametrize(
    ("raw", "value", "precision"),
    [
        ("12-03-1990", date(1990, 3, 12), "day"),
        ("12/03/1990", date(1990, 3, 12), "day"),
        ("12.03.1990", date(1990, 3, 12), "day"),
        ("1990-03-12", date(1990, 3, 12), "day"),
        ("12 Maret 1990", date(1990, 3, 12), "day"),
        ("12 MARET 1990", date(1990, 3, 12), "day"),
        ("5 Agustus 2001", date(2001, 8, 5), "day"),
        ("5 Agt 2001", date(2001, 8, 5), "day"),
        ("1 Pebruari 1975", date(1975, 2, 1), "day"),
        ("12-03-90", date(1990, 3, 12), "day"),
        ("12-03-05", date(2005, 3, 12), "day"),
        ("03-25-1990", date(1990, 3, 25), "day"),  # month written first: month > 12 tells
        ("12031990", date(1990, 3, 12), "day"),
        ("19900312", date(1990, 3, 12), "day"),
        ("1990-03-12 00:00:00", date(1990, 3, 12), "day"),
        (date(1990, 3, 12), date(1990, 3, 12), "day"),
        (32944, date(1990, 3, 12), "day"),  # an Excel serial number
    ],
)
def test_dates_as_agencies_write_them(raw: object, value: date, precision: str) -> None:
    parsed = parse_date(raw, reference=TODAY)
    assert (parsed.value, parsed.precision) == (value, precision)


def test_partial_and_bad_dates() -> None:
    year = parse_date("1990", reference=TODAY)
    assert (year.value, year.year, year.precision) == (None, 1990, "year")
    month = parse_date("Maret 1990", reference=TODAY)
    assert (month.year, month.month, month.precision) == (1990, 3, "month")
    assert parse_date("", reference=TODAY).precision == "none"
    assert parse_date(None, reference=TODAY).problem == ""
    for bad in ("31-02-1990", "12 Marett 1990", "2030", "12-03-2030", "kemarin"):
        parsed = parse_date(bad, reference=TODAY)
        assert parsed.precision == "none" and parsed.problem, bad


def test_nik_carries_birth_date_and_sex() -> None:
    woman = nik_facts("3510164508900001", reference=TODAY)
    assert woman is not None
    assert (woman.birth_date, woman.sex, woman.district) == (date(1990, 8, 5), "P", "35.10.16")
    man = nik_facts("3515 1405 0868 0001", reference=TODAY)
    assert man is not None and (man.birth_date, man.sex) == (date(1968, 8, 5), "L")
    # The two-digit year follows the record's birth year when it has one.
    old = nik_facts("3510010101250001", birth_year=1925, reference=TODAY)
    young = nik_facts("3510010101250001", reference=TODAY)
    assert old is not None and young is not None
    assert old.birth_date == date(1925, 1, 1)
    # Without a birth year the latest possible century is taken (a baby, not a centenarian).
    assert young.birth_date == date(2025, 1, 1)
    # A wrong embedded date still gives the district, never a date.
    broken = nik_facts("3510019913900001", reference=TODAY)
    assert broken is not None and broken.birth_date is None and broken.sex is None
    assert nik_facts("35100145089", reference=TODAY) is None
    assert nik_facts("", reference=TODAY) is None


@pytest.mark.parametrize(
    ("raw", "street", "rt", "rw"),
    [
        ("Dusun Krajan RT 003 RW 001", "dusun krajan", "003", "001"),
        ("Jl. Ahmad Yani No. 12 RT.02/RW.05", "jl ahmad yani no 12", "002", "005"),
        ("Dsn. Sumberejo Rt 4 Rw 2", "dusun sumberejo", "004", "002"),
        ("Krajan 003/001", "krajan", "003", "001"),
        ("RT/RW 002/005 Dusun Gumuk", "dusun gumuk", "002", "005"),
        ("Jalan Brawijaya Gg. Mawar", "jl brawijaya gang mawar", "", ""),
        ("", "", "", ""),
    ],
)
def test_address_rt_rw(raw: str, street: str, rt: str, rw: str) -> None:
    parsed = parse_address(raw)
    assert (parsed.street, parsed.rt, parsed.rw) == (street, rt, rw)


GAZ = Gazetteer(
    villages={
        "35.10.05.2001": "Kemiren",
        "35.10.05.2002": "Sumberagung",
        "35.10.16.1001": "Sobo",
        "35.10.07.2003": "Sumberagung",
        "35.10.07.2004": "Tegaldlimo",
    },
    districts={"35.10.05": "Glagah", "35.10.16": "Banyuwangi", "35.10.07": "Songgon"},
)


def test_desa_and_kecamatan_names_to_codes() -> None:
    assert match_region("Ds. Kemiren", None, GAZ) == ("35.10.05.2001", "35.10.05")
    assert match_region("KEL. SOBO", "Kec. Banyuwangi", GAZ) == ("35.10.16.1001", "35.10.16")
    # A misspelt desa is matched when it is close enough.
    assert match_region("Kemirren", None, GAZ) == ("35.10.05.2001", "35.10.05")
    # Sumberagung is in two kecamatan: the kecamatan decides, without it nothing is guessed.
    assert match_region("Sumberagung", "Songgon", GAZ) == ("35.10.07.2003", "35.10.07")
    assert match_region("Sumberagung", None, GAZ) == (None, None)
    assert match_region("Sumberagung", "Glagah", GAZ)[0] == "35.10.05.2002"
    # An unknown desa keeps the kecamatan it was given.
    assert match_region("Atlantis", "Glagah", GAZ) == (None, "35.10.05")


def test_sex_codes() -> None:
    assert [parse_sex(v) for v in ("L", "laki-laki", "Pria", "P", "PEREMPUAN", "w", "?")] == [
        "L",
        "L",
        "L",
        "P",
        "P",
        "P",
        None,
    ]
