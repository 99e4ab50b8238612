"""NIK (Nomor Induk Kependudukan) parsing and masking. Pure Python: no Django here.

Layout ``PP KK CC DDMMYY SSSS`` (domain reference section 5.1): province,
regency/city and district *where the NIK was first registered*, date of birth
(day + 40 for women), two-digit year, serial from 0001.

The parser is lenient on purpose: Dukcapil keeps NIKs whose embedded date is
wrong, so a NIK is never "corrected" here; it reports ``problems`` (stable
``code`` plus an Indonesian ``message``) and callers decide. The region codes are
historical and never give the current address. Sex derived from the NIK is a
consistency check, not the source of truth.

Messages are plain Indonesian (this module must import without Django); a UI
that needs another language can translate by ``code``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "PROVINCES",
    "MaskNikLogFilter",
    "NikInfo",
    "clean_nik",
    "mask_nik",
    "mask_niks_in_text",
    "parse_nik",
]

#: Kemendagri province codes (Kepmendagri 050-145/2022 and later: 38 provinces).
PROVINCES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}

NIK_LENGTH = 16
_SEPARATORS = re.compile(r"[\s.\-]+")
# A run of exactly 16 digits not touching other digits (so longer numbers,
# such as 20-digit account numbers, are left alone).
_NIK_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
_JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class NikInfo:
    valid: bool
    nik: str
    province: str | None = None
    province_name: str | None = None
    regency: str | None = None
    district: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    serial: str | None = None
    problems: list[dict[str, str]] = field(default_factory=list, hash=False)
    regency_name: str | None = None
    district_name: str | None = None

    def codes(self) -> list[str]:
        """The problem codes, e.g. ``["month_invalid"]``."""
        return [p["code"] for p in self.problems]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (dates as ISO strings)."""
        return {
            "valid": self.valid,
            "nik": self.nik,
            "province": self.province,
            "province_name": self.province_name,
            "regency": self.regency,
            "regency_name": self.regency_name,
            "district": self.district,
            "district_name": self.district_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "sex": self.sex,
            "serial": self.serial,
            "problems": [dict(p) for p in self.problems],
        }


def clean_nik(value: str) -> str:
    """Drop spaces, dots and hyphens: ``"3510 01.45-0890 0001"`` -> ``"3510014508900001"``."""
    return _SEPARATORS.sub("", value or "")


def _problem(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def _birth_date(day: int, month: int, yy: int, reference: date) -> date | None:
    """The latest real date with these digits that is not after ``reference``."""
    century = reference.year // 100 * 100
    for year in (century + yy, century + yy - 100, century + yy - 200):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def parse_nik(value: str, *, century_hint: date | None = None) -> NikInfo:
    """Split a NIK into its parts and list what is wrong with it.

    ``century_hint`` is the reference date for the two-digit year: the birth date
    is the latest date with the NIK's DDMMYY that is not after it (default: today
    in Asia/Jakarta). Pass the registration date for historical data.
    """
    nik = clean_nik(value)
    problems: list[dict[str, str]] = []
    if not nik:
        problems.append(_problem("empty", "NIK kosong."))
        return NikInfo(valid=False, nik=nik, problems=problems)
    if not nik.isdigit() or not nik.isascii():
        problems.append(_problem("not_digits", "NIK hanya boleh berisi angka."))
    if len(nik) != NIK_LENGTH:
        problems.append(
            _problem("length", f"NIK harus {NIK_LENGTH} digit, bukan {len(nik)} karakter.")
        )
    if problems:
        return NikInfo(valid=False, nik=nik, problems=problems)

    province = nik[:2]
    province_name = PROVINCES.get(province)
    if province_name is None:
        problems.append(_problem("province_unknown", f"Kode provinsi '{province}' tidak dikenal."))

    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex: str | None = None
    day: int | None = None
    if 1 <= raw_day <= 31:
        sex, day = "L", raw_day
    elif 41 <= raw_day <= 71:
        sex, day = "P", raw_day - 40
    else:
        problems.append(
            _problem(
                "day_invalid",
                f"Tanggal lahir '{nik[6:8]}' harus 01–31 (laki-laki) atau 41–71 (perempuan).",
            )
        )
    month_ok = 1 <= month <= 12
    if not month_ok:
        problems.append(_problem("month_invalid", f"Bulan lahir '{nik[8:10]}' harus 01–12."))

    birth_date: date | None = None
    if day is not None and month_ok:
        reference = century_hint or datetime.now(_JAKARTA).date()
        birth_date = _birth_date(day, month, yy, reference)
        if birth_date is None:
            problems.append(
                _problem(
                    "date_invalid",
                    f"Tanggal lahir {day:02d}-{month:02d}-{yy:02d} tidak ada di kalender.",
                )
            )

    serial = nik[12:]
    if serial == "0000":
        problems.append(
            _problem("serial_zero", "Nomor urut '0000' tidak dipakai; mulai dari 0001.")
        )

    return NikInfo(
        valid=not problems,
        nik=nik,
        province=province,
        province_name=province_name,
        regency=f"{nik[:2]}.{nik[2:4]}",
        district=f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}",
        birth_date=birth_date,
        sex=sex,
        serial=serial,
        problems=problems,
    )


def mask_nik(value: str) -> str:
    """``"3510014508900001"`` -> ``"3510********0001"``.

    Separators are dropped first. Anything shorter than 9 characters is masked
    completely, so a partial number never leaks.
    """
    nik = clean_nik(str(value))
    if len(nik) < 9:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 8) + nik[-4:]


def mask_niks_in_text(text: str) -> str:
    """Mask every standalone 16-digit run in ``text``."""
    return _NIK_IN_TEXT.sub(lambda m: mask_nik(m.group(0)), text)


class MaskNikLogFilter(logging.Filter):
    """Logging filter that masks NIKs in the rendered message (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for the handler to report
            return True
        masked = mask_niks_in_text(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = ()
        # Tracebacks (e.g. an IntegrityError quoting the row) and stack traces too.
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_niks_in_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_niks_in_text(record.stack_info)
        return True


_formatter = logging.Formatter()
