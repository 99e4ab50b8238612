"""NIK parsing (lenient, with problems listed), masking, and the logging filter."""

from __future__ import annotations

import io
import json
import logging
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terpadu.core.nik import (
    PROVINCES,
    MaskNikLogFilter,
    mask_nik,
    mask_niks_in_text,
    parse_nik,
)

TODAY = date(2026, 3, 17)


def test_worked_example_man() -> None:
    info = parse_nik("3515140508680001")
    assert info.valid and info.problems == []
    assert info.province == "35" and info.province_name == "Jawa Timur"
    assert info.regency == "35.15" and info.district == "35.15.14"
    assert info.birth_date == date(1968, 8, 5)
    assert info.sex == "L"
    assert info.serial == "0001"


def test_worked_example_woman_day_plus_forty() -> None:
    info = parse_nik("3515144508680002")
    assert info.valid
    assert info.birth_date == date(1968, 8, 5)
    assert info.sex == "P"
    assert info.serial == "0002"


def test_spaces_dots_and_hyphens_are_ignored() -> None:
    info = parse_nik(" 35.15.14 050868-0001 ")
    assert info.valid and info.nik == "3515140508680001"


def test_there_are_38_provinces() -> None:
    assert len(PROVINCES) == 38
    assert PROVINCES["35"] == "Jawa Timur"
    assert PROVINCES["96"] == "Papua Barat Daya"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("351514050868001", "length"),
        ("35151405086800011", "length"),
        ("35151405O8680001", "not_digits"),
        ("3515140508680OO1", "not_digits"),
        ("3515140513680001", "month_invalid"),
        ("3515140500680001", "month_invalid"),
        ("3515143208680001", "day_invalid"),
        ("3515147208680001", "day_invalid"),
        ("3515140008680001", "day_invalid"),
        ("3515144008680001", "day_invalid"),
        ("3515143002900001", "date_invalid"),
        ("3515147002900001", "date_invalid"),
        ("3515143104900001", "date_invalid"),
        ("9915140508680001", "province_unknown"),
        ("3515140508680000", "serial_zero"),
    ],
)
def test_problems_are_reported_not_raised(value: str, code: str) -> None:
    info = parse_nik(value, century_hint=TODAY)
    assert not info.valid
    assert code in info.codes()
    assert all(p["message"] for p in info.problems)


def test_problem_messages_are_indonesian() -> None:
    assert parse_nik("3515140513680001").problems == [
        {"code": "month_invalid", "message": "Bulan lahir '13' harus 01–12."}
    ]
    assert "16 digit" in parse_nik("123").problems[0]["message"]
    feb30 = parse_nik("3515143002900001")
    assert feb30.birth_date is None and feb30.sex == "L"
    assert "tidak ada di kalender" in feb30.problems[0]["message"]


def test_lenient_parse_keeps_the_structure_of_a_flawed_nik() -> None:
    info = parse_nik("9915144508680000")
    assert info.codes() == ["province_unknown", "serial_zero"]
    assert info.province == "99" and info.province_name is None
    assert info.birth_date == date(1968, 8, 5) and info.sex == "P"


def test_two_digit_year_takes_the_latest_past_century() -> None:
    assert parse_nik("3510011703260001", century_hint=TODAY).birth_date == date(2026, 3, 17)
    assert parse_nik("3510011803260001", century_hint=TODAY).birth_date == date(1926, 3, 18)
    assert parse_nik("3510010101270001", century_hint=TODAY).birth_date == date(1927, 1, 1)
    assert parse_nik("3510012902000001", century_hint=TODAY).birth_date == date(2000, 2, 29)
    # 29 Feb 1900 does not exist, so with a 21st-century reference this is "00" -> 2000;
    # before 2000 there is no leap day in 1900 to fall back on.
    assert "date_invalid" in parse_nik("3510012902000001", century_hint=date(1999, 1, 1)).codes()
    # Default reference is today in Asia/Jakarta: a 1990 birth is always in the past.
    assert parse_nik("3510014508900001").birth_date == date(1990, 8, 5)


def test_as_dict_is_json_ready() -> None:
    data = parse_nik("3510014508900001").as_dict()
    assert set(data) == {
        "valid",
        "nik",
        "province",
        "province_name",
        "regency",
        "regency_name",
        "district",
        "district_name",
        "birth_date",
        "sex",
        "serial",
        "problems",
    }
    assert json.loads(json.dumps(data))["birth_date"] == "1990-08-05"
    assert data["regency_name"] is None and data["district_name"] is None


# --- masking ---------------------------------------------------------------------------


def test_mask_nik() -> None:
    assert mask_nik("3510014508900001") == "3510********0001"
    assert mask_nik("3510 0145 0890 0001") == "3510********0001"
    assert mask_nik("1234") == "****"  # a fragment never leaks


def test_mask_niks_in_text_masks_only_standalone_16_digit_runs() -> None:
    text = "Pemohon 3510014508900001 (istri: 3510015203920002); rekening 12345678901234567; HP 081234567890"
    masked = mask_niks_in_text(text)
    assert "3510014508900001" not in masked and "3510015203920002" not in masked
    assert "3510********0001" in masked and "3510********0002" in masked
    assert "12345678901234567" in masked  # 17 digits: not a NIK
    assert "081234567890" in masked


def _logger_with_filter() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskNikLogFilter())
    logger = logging.getLogger("terpadu.tests.nik")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_log_filter_masks_a_nik_in_a_logged_message() -> None:
    logger, stream = _logger_with_filter()
    logger.info("pemohon %s ditolak, kode %d", "3510014508900001", 7)
    logger.warning("NIK 3515144508680002 sudah terdaftar")
    output = stream.getvalue()
    assert "3510014508900001" not in output and "3515144508680002" not in output
    assert "pemohon 3510********0001 ditolak, kode 7" in output
    assert "NIK 3515********0002 sudah terdaftar" in output


def test_log_filter_masks_tracebacks() -> None:
    logger, stream = _logger_with_filter()
    try:
        raise ValueError("duplicate key (nik)=(3510014508900001)")
    except ValueError:
        logger.exception("gagal menyimpan")
    output = stream.getvalue()
    assert "3510014508900001" not in output
    assert "3510********0001" in output and "Traceback" in output


def test_settings_install_the_filter_on_the_console_handler() -> None:
    from django.conf import settings as django_settings

    assert (
        django_settings.LOGGING["filters"]["mask_nik"]["()"] == "terpadu.core.nik.MaskNikLogFilter"
    )
    root_filters = [f for h in logging.getLogger().handlers for f in h.filters]
    assert any(isinstance(f, MaskNikLogFilter) for f in root_filters)


# --- property ------------------------------------------------------------------------------


@settings(max_examples=300)
@given(
    province=st.sampled_from(sorted(PROVINCES)),
    regency=st.integers(min_value=1, max_value=99),
    district=st.integers(min_value=1, max_value=99),
    born=st.dates(min_value=date(1927, 1, 1), max_value=TODAY),
    sex=st.sampled_from(["L", "P"]),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_generated_nik_round_trips(
    province: str, regency: int, district: int, born: date, sex: str, serial: int
) -> None:
    day = born.day + (40 if sex == "P" else 0)
    nik = f"{province}{regency:02d}{district:02d}{day:02d}{born:%m%y}{serial:04d}"
    info = parse_nik(nik, century_hint=TODAY)
    assert info.valid, info.problems
    assert info.sex == sex
    assert info.birth_date == born
    assert info.district == f"{province}.{regency:02d}.{district:02d}"
    assert mask_nik(nik) == nik[:4] + "********" + nik[-4:]
