"""Standardisation of Indonesian personal data for record linkage. Pure Python, no Django.

Names
    :func:`standardise_name` gives the readable standard form: lower case, no
    punctuation, religious/academic/courtesy titles dropped (``H.``, ``Hj.``,
    ``Drs.``, ``dr.``, ``S.Pd.``, ``Ny.`` …), every spelling of Muhammad as
    ``muhammad`` and of Siti as ``siti``, and the pre-1972 spellings rewritten
    (``oe``→``u``, ``dj``→``j``, ``tj``→``c``, ``nj``→``ny``, ``sj``→``sy``,
    ``ch``→``kh``). :func:`name_key` goes further for matching only: letters
    that Javanese and Madurese spellings swap are merged (``kh``/``h``,
    ``dh``/``d``, ``th``/``t``, ``sy``/``s``, ``y``/``j`` after the old ``j``,
    ``q``/``k``, ``v``/``f``/``p``), doubled letters collapsed, a final ``h``
    dropped. English phonetic codes (Soundex, Metaphone) do not know these
    rules, which is why they miss most Indonesian variants.
Dates
    :func:`parse_date` reads ``12-03-1990``, ``12/03/90``, ``1990-03-12``,
    ``12 Maret 1990``, ``Maret 1990`` and ``1990`` and says how precise the
    result is. :func:`nik_facts` gives the birth date and sex inside a NIK.
Addresses
    :func:`parse_address` pulls RT/RW out of an address line;
    :func:`match_region` finds a desa/kelurahan (and kecamatan) code from
    written names using a gazetteer passed in.

Everything here is deterministic and cached where values repeat (names,
dates): agency lists repeat the same few thousand names many times.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from terpadu.core.nik import clean_nik

__all__ = [
    "Gazetteer",
    "NikFacts",
    "ParsedAddress",
    "ParsedDate",
    "clean_place_name",
    "match_region",
    "name_key",
    "nik_facts",
    "parse_address",
    "parse_date",
    "parse_sex",
    "standardise_name",
]

# -- names -----------------------------------------------------------------------

#: Titles written before a name (compared without dots, lower case).
PREFIX_TITLES = frozenset(
    """
    h hj hja haji hajah hajjah hji kh kyai kiai ky nyai ust ustad ustadz ustaz ustadzah ustazah
    drs dra dr drg ir prof ny nyonya nn nona tn tuan bpk bapak pak bp ibu bu sdr sdri saudara
    saudari alm almh almarhum almarhumah an a.n gus ning raden rd
    """.split()  # noqa: SIM905
)
#: Academic degrees written after a name (without dots). Only dropped when
#: they were written with dots (``S.Pd.``), after a comma, or are
#: unmistakable (never a name), see ``_UNMISTAKABLE``.
DEGREES = frozenset(
    """
    spd spdi spdsd sag sap se sei sh shi sthi skom st sst ssos skep sked skm ssi sip sfarm sgz
    stp spt spsi ssy sikom shum sn sds sars slh mpd mpdi msi mm mkes mag mh ma msc mt mba mhum
    mkom mph amd amdkeb amdkep amkeb amk apt ns bsc ba phd spog spa sppd sppk sppd mkn mikom
    """.split()  # noqa: SIM905
)
_UNMISTAKABLE = frozenset(
    {"spd", "spdi", "sag", "skom", "ssos", "skep", "sked", "skm", "ssi", "sfarm", "mpd", "mpdi"}
    | {"msi", "mkes", "amd", "amdkeb", "amkeb", "spog", "sthi", "shi", "sei", "phd", "bsc"}
)
MUHAMMAD_FORMS = frozenset(
    """
    muhammad muhamad muhammed muhamed mohammad mohamad mohammed mohamed mochammad mochamad
    mohamat mokhammad mokhamad muchammad muchamad mukhammad mukhamad muhamat moch mochd moh
    mohd muh much mch mhd md mhmd mochamat mamad
    """.split()  # noqa: SIM905
)
SITI_FORMS = frozenset({"siti", "sitti", "sity", "sitty", "citi"})
#: Spelling families folded to one form in the readable standard name.
WORD_FORMS: Mapping[str, str] = {
    "akhmad": "ahmad",
    "achmad": "ahmad",
    "ahmat": "ahmad",
    "akhmat": "ahmad",
    "abd": "abdul",
    "abdoel": "abdul",
    "nurul": "nurul",
    "noer": "nur",
    "nor": "nur",
}

_WS = re.compile(r"\s+")
_NON_LETTER = re.compile(r"[^a-z\s]")
_NOT_AZ = re.compile(r"[^a-z]")
# Old spellings (Ejaan van Ophuijsen / Republik → EYD 1972), applied to whole words.
_OLD_SPELLINGS = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("ch", "kh"))
_OLD_J = re.compile(r"(?<![dn])j(?=[aeiou])")
_DOUBLE = re.compile(r"([a-z])\1+")


def _ascii_lower(text: str) -> str:
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _old_spelling(word: str) -> str:
    """``soekarno``→``sukarno``, ``djoko``→``joko``, ``tjahjono``→``cahjono``, ``choirul``→``khoirul``."""
    if len(word) < 2:
        return word
    old_style = False
    for old, new in _OLD_SPELLINGS:
        if old in word:
            word = word.replace(old, new)
            old_style = True
    if old_style and len(word) > 2:
        # The same writer used "j" for today's "y": Tjahjono → Cahyono, Djojo → Joyo.
        word = word[0] + _OLD_J.sub("y", word[1:])
    return word


_SIMPLE_NAME = re.compile(r"[A-Za-z ]+")


def _tokens_with_titles_removed(raw: str) -> list[str]:
    """Lower-case word tokens with titles and degrees removed (dots still decide degrees)."""
    if _SIMPLE_NAME.fullmatch(raw):  # no dots, commas or apostrophes: the common case
        words = raw.lower().split()
        while len(words) > 1 and words[0] in PREFIX_TITLES:
            words.pop(0)
        while len(words) > 1 and words[-1] in _UNMISTAKABLE:
            words.pop()
        while len(words) > 1 and words[-1] in DEGREES and words[-1] not in {"ma", "st", "se"}:
            words.pop()
        return words
    text = _ascii_lower(raw).replace("`", "'").replace("’", "'")
    # Everything after the first comma is degrees ("Suparno, S.Pd., M.Pd."), unless
    # the part before the comma is itself only a title.
    head, _, tail = text.partition(",")
    parts = [head]
    if tail:
        tail_tokens = re.findall(r"[a-z.']+", tail)
        if not all(t.replace(".", "") in DEGREES or not t.strip(".") for t in tail_tokens):
            parts.append(tail)  # "Aminah, Siti" is a reordered name, not a degree
    tokens: list[str] = []
    for part in parts:
        for raw_token in re.split(r"[\s\-/]+", part.strip()):
            if not raw_token:
                continue
            bare = _NOT_AZ.sub("", raw_token)
            # "H.M." / "H.Moh." written without a space: split on inner dots.
            pieces = [p for p in raw_token.split(".") if p] if raw_token.count(".") >= 1 else []
            dotted_degree = "." in raw_token.strip(".") and bare in DEGREES
            if dotted_degree or bare in _UNMISTAKABLE:
                continue
            if len(pieces) > 1 and not dotted_degree:
                tokens.extend(_NOT_AZ.sub("", p) for p in pieces)
            else:
                tokens.append(bare)
    tokens = [t for t in tokens if t]
    # Leading titles: drop while at least one real word remains.
    while len(tokens) > 1 and tokens[0] in PREFIX_TITLES:
        tokens.pop(0)
    # A trailing undotted degree ("Sutrisno SPd") after at least one word.
    while len(tokens) > 1 and tokens[-1] in DEGREES and tokens[-1] not in {"ma", "st", "se"}:
        tokens.pop()
    return tokens


@lru_cache(maxsize=200_000)
def standardise_name(raw: str | None) -> str:
    """The readable standard form of a personal name (empty string for no name).

    >>> standardise_name("Hj. SITI Maryam, S.Pd.")
    'siti maryam'
    >>> standardise_name("Moch. Djoko Tjahjono")
    'muhammad joko cahyono'
    """
    if not raw:
        return ""
    out: list[str] = []
    tokens = _tokens_with_titles_removed(raw)
    for i, token in enumerate(tokens):
        word = _NON_LETTER.sub("", token)
        if not word:
            continue
        if word in MUHAMMAD_FORMS or (word == "m" and i == 0 and len(tokens) > 1):
            out.append("muhammad")
            continue
        if word in SITI_FORMS or (word == "st" and i == 0 and len(tokens) > 1):
            out.append("siti")
            continue
        word = _old_spelling(word)
        out.append(WORD_FORMS.get(word, word))
    # An old spelling can turn a word into a title ("Nj." is the old "Ny."): drop it as well.
    while len(out) > 1 and out[0] in PREFIX_TITLES:
        out.pop(0)
    return " ".join(out)


_KEY_RULES = (
    ("kh", "h"),
    ("dh", "d"),
    ("th", "t"),
    ("sy", "s"),
    ("sh", "s"),
    ("ph", "f"),
    ("dz", "j"),
    ("z", "j"),
    ("q", "k"),
    ("v", "f"),
    ("f", "p"),
    ("x", "ks"),
    ("ie", "i"),
    ("oe", "u"),
    ("y", "i"),
)


@lru_cache(maxsize=200_000)
def _word_key(word: str) -> str:
    if word in ("muhammad", "siti"):
        return word
    # The old "j" for today's "y" (Jusuf → Yusuf, Tjahjono → Cahyono) before a vowel
    # inside a word; a leading "j" stays (Joko, Jumali).
    word = word[0] + _OLD_J.sub("y", word[1:]) if len(word) > 2 else word
    if word.startswith("y"):
        word = "j" + word[1:]  # Jusuf / Yusuf: keep one letter for both at the start
    for old, new in _KEY_RULES:
        if old in word:
            word = word.replace(old, new)
    word = _DOUBLE.sub(r"\1", word)
    if len(word) > 3 and word.endswith("h"):
        word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def name_key(raw: str | None) -> str:
    """A matching key: the standard name with the sounds Indonesian spellings swap merged.

    Two spellings of one name share a key: ``name_key("Tjahjono") ==
    name_key("Cahyono")``, ``name_key("Kholil") == name_key("Holil")``.
    """
    std = standardise_name(raw)
    return " ".join(_word_key(w) for w in std.split())


# -- sex ----------------------------------------------------------------------------

_SEX = {
    "l": "L",
    "lk": "L",
    "laki": "L",
    "lakilaki": "L",
    "pria": "L",
    "m": "L",
    "male": "L",
    "1": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
    "w": "P",
    "f": "P",
    "female": "P",
    "2": "P",
}


def parse_sex(raw: str | None) -> str | None:
    """``"L"``/``"P"`` from the many ways lists write it; None when unknown."""
    if raw is None:
        return None
    key = re.sub(r"[^a-z0-9]", "", _ascii_lower(str(raw)))
    return _SEX.get(key)


# -- dates ----------------------------------------------------------------------------

MONTHS: Mapping[str, int] = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "agust": 8,
    "ags": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "nopember": 11,
    "november": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}


@dataclass(frozen=True)
class ParsedDate:
    """A date as precise as the source allows: ``precision`` is ``day``, ``month``, ``year`` or ``none``."""

    value: date | None
    year: int | None
    month: int | None
    precision: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.precision != "none"


_NONE = ParsedDate(None, None, None, "none")
_NUMERIC = re.compile(r"^(\d{1,4})[\s./\-]+(\d{1,2})[\s./\-]+(\d{1,4})$")
_WORDY = re.compile(r"^(?:(\d{1,2})[\s.\-/]*)?([a-z]+)\.?[\s.\-/,]*(\d{2,4})$")
_TIME_SUFFIX = re.compile(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _full_year(yy: int, reference: date) -> int:
    """Two-digit year → the latest year with those digits not after ``reference``."""
    year = reference.year // 100 * 100 + yy
    return year - 100 if year > reference.year else year


def _bad(problem: str) -> ParsedDate:
    return ParsedDate(None, None, None, "none", problem)


def _make(year: int, month: int, day: int, reference: date) -> ParsedDate:
    try:
        value = date(year, month, day)
    except ValueError:
        return _bad("tanggal tidak ada di kalender")
    if value > reference:
        return _bad("tanggal di masa depan")
    if year < 1880:
        return _bad("tahun terlalu lampau")
    return ParsedDate(value, year, month, "day")


@lru_cache(maxsize=100_000)
def _parse_date_text(text: str, reference: date) -> ParsedDate:
    text = _TIME_SUFFIX.sub("", text.strip().lower())
    if not text or text in {"-", "0", "00-00-0000", "0000-00-00", "tidak tahu", "tt"}:
        return _NONE
    if text.isdigit():
        if len(text) == 4:
            year = int(text)
            if 1880 <= year <= reference.year:
                return ParsedDate(None, year, None, "year")
            return _bad("tahun di luar jangkauan")
        if len(text) == 8:  # 12031990 or 19900312
            if text[:2] in ("19", "20") and int(text[4:6]) <= 12:
                return _make(int(text[:4]), int(text[4:6]), int(text[6:]), reference)
            return _make(int(text[4:]), int(text[2:4]), int(text[:2]), reference)
        if len(text) == 5 and 1000 < int(text) < 80000:  # an Excel serial number
            return _make_from_ordinal(int(text), reference)
        return _bad("angka tanggal tidak dikenali")
    m = _NUMERIC.match(text)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:  # ISO 1990-03-12
            return _make(int(a), int(b), int(c), reference)
        year = int(c) if len(c) == 4 else _full_year(int(c), reference) if len(c) == 2 else -1
        if year < 0:
            return _bad("tahun tidak dikenali")
        day, month = int(a), int(b)
        if month > 12 and day <= 12:  # written month-first (an English spreadsheet)
            day, month = month, day
        return _make(year, month, day, reference)
    m = _WORDY.match(text)
    if m:
        day_text, month_text, year_text = m.groups()
        named_month = MONTHS.get(month_text)
        if named_month is None:
            return _bad(f"nama bulan '{month_text}' tidak dikenali")
        month = named_month
        year = int(year_text) if len(year_text) == 4 else _full_year(int(year_text), reference)
        if day_text is None:
            if year > reference.year:
                return _bad("tanggal di masa depan")
            return ParsedDate(None, year, month, "month")
        return _make(year, month, int(day_text), reference)
    return _bad("format tanggal tidak dikenali")


def _make_from_ordinal(serial: int, reference: date) -> ParsedDate:
    value = date.fromordinal(date(1899, 12, 30).toordinal() + serial)
    return _make(value.year, value.month, value.day, reference)


def parse_date(raw: object, *, reference: date) -> ParsedDate:
    """Read a date as Indonesian agency lists write it; never raises.

    ``reference`` is "today" for the data (dates after it are errors, two-digit
    years are placed in the century before it). Day-first is assumed
    (``03-04-1990`` is 3 April); a month above 12 means the writer put the month
    first. Returns precision ``none`` with a ``problem`` when unreadable.
    """
    if raw is None:
        return _NONE
    if isinstance(raw, datetime):
        return _make(raw.year, raw.month, raw.day, reference)
    if isinstance(raw, date):
        return _make(raw.year, raw.month, raw.day, reference)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1000 < raw < 80000:
            return _make_from_ordinal(int(raw), reference)
        if 1880 <= raw <= reference.year and float(raw).is_integer():
            return ParsedDate(None, int(raw), None, "year")
        return _bad("angka tanggal tidak dikenali")
    return _parse_date_text(str(raw), reference)


# -- NIK -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NikFacts:
    nik: str
    birth_date: date | None
    sex: str | None
    district: str  # "35.10.05": where the NIK was first registered
    prefix12: str  # the first 12 digits: district + DDMMYY (day + 40 for women)


def nik_facts(
    raw: str | None, *, birth_year: int | None = None, reference: date
) -> NikFacts | None:
    """The birth date and sex a NIK carries; None when it is not a well-formed NIK.

    The two-digit year is placed using ``birth_year`` when the record has one
    (a NIK of 1925 and 2025 look alike), otherwise the latest year not after
    ``reference``. A NIK whose embedded date is impossible still gives its
    district and prefix, with no birth date (Dukcapil keeps such NIKs).
    """
    nik = raw if raw and len(raw) == 16 and raw.isdigit() else clean_nik(raw or "")
    if len(nik) != 16 or not nik.isdigit() or nik[:2] == "00":
        return None
    hint = reference
    if birth_year is not None and 1880 <= birth_year <= reference.year:
        hint = min(date(min(birth_year + 1, reference.year), 12, 31), reference)
    raw_day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex: str | None = None
    day = 0
    if 1 <= raw_day <= 31:
        sex, day = "L", raw_day
    elif 41 <= raw_day <= 71:
        sex, day = "P", raw_day - 40
    birth: date | None = None
    if sex and 1 <= month <= 12:
        birth = _nik_birth(day, month, yy, hint)
    return NikFacts(
        nik=nik,
        birth_date=birth,
        sex=sex,
        district=f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}",
        prefix12=nik[:12],
    )


@lru_cache(maxsize=100_000)
def _nik_birth(day: int, month: int, yy: int, hint: date) -> date | None:
    """The latest real date with these digits not after ``hint`` (as ``parse_nik`` does)."""
    century = hint.year // 100 * 100
    for year in (century + yy, century + yy - 100, century + yy - 200):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= hint:
            return candidate
    return None


def pseudo_nik_prefix(district_code: str, birth: date, sex: str) -> str:
    """The first 12 digits a NIK would have: ``35.10.05`` + DDMMYY (+40 for women).

    Records without a NIK get this from their desa's kecamatan so that they
    fall into the same block as the NIK-bearing records of the same person.
    """
    digits = district_code.replace(".", "")
    day = birth.day + 40 if sex == "P" else birth.day
    return f"{digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}"


# -- addresses ----------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedAddress:
    street: str
    rt: str  # "003" or ""
    rw: str


_RT_RW_PAIR = re.compile(
    r"\brt\s*[./]?\s*rw\s*[.:]?\s*(\d{1,3})\s*[/\-]\s*(\d{1,3})\b", re.IGNORECASE
)
_RT = re.compile(r"\brt\s*[.:]?\s*(\d{1,3})\b", re.IGNORECASE)
_RW = re.compile(r"\brw\s*[.:]?\s*(\d{1,3})\b", re.IGNORECASE)
_RT_SLASH_RW = re.compile(r"\b(\d{1,3})\s*/\s*(\d{1,3})\b")
_ADDRESS_WORDS = (
    (re.compile(r"\b(jln|jl|jalan)\b\.?", re.IGNORECASE), "jl"),
    (re.compile(r"\b(dsn|dusun)\b\.?", re.IGNORECASE), "dusun"),
    (re.compile(r"\b(gg|gang)\b\.?", re.IGNORECASE), "gang"),
    (re.compile(r"\b(no|nomor|nmr)\b\.?", re.IGNORECASE), "no"),
    (re.compile(r"\b(perum|perumahan)\b\.?", re.IGNORECASE), "perum"),
)


def _pad(number: str) -> str:
    return f"{int(number):03d}" if number and int(number) > 0 else ""


@lru_cache(maxsize=100_000)
def parse_address(raw: str | None) -> ParsedAddress:
    """``"Dusun Krajan RT 03 / RW 01"`` → street ``"dusun krajan"``, rt ``"003"``, rw ``"001"``."""
    text = " ".join((raw or "").split())
    rt = rw = ""
    m = _RT_RW_PAIR.search(text)
    if m:
        rt, rw = _pad(m.group(1)), _pad(m.group(2))
        text = text[: m.start()] + " " + text[m.end() :]
    else:
        mt, mw = _RT.search(text), _RW.search(text)
        if mt:
            rt = _pad(mt.group(1))
        if mw:
            rw = _pad(mw.group(1))
        text = _RW.sub(" ", _RT.sub(" ", text))
        if not mt and not mw:
            # "Krajan 003/001" at the end of the line
            tail = _RT_SLASH_RW.search(text)
            if tail and tail.end() >= len(text.rstrip()) - 1:
                rt, rw = _pad(tail.group(1)), _pad(tail.group(2))
                text = text[: tail.start()]
    street = _ascii_lower(text)
    for pattern, word in _ADDRESS_WORDS:
        street = pattern.sub(word, street)
    street = re.sub(r"[^a-z0-9\s]", " ", street)
    street = _WS.sub(" ", street).strip()
    return ParsedAddress(street=street, rt=rt, rw=rw)


# -- desa / kecamatan names --------------------------------------------------------

_PLACE_PREFIX = re.compile(
    r"^(desa|ds|kelurahan|kel|kec|kecamatan|kab|kabupaten|dusun|dsn)\b\.?\s*", re.IGNORECASE
)


@lru_cache(maxsize=20_000)
def clean_place_name(raw: str | None) -> str:
    """``"Ds. Kemiren"`` → ``"kemiren"``; old spellings rewritten, spaces and dashes dropped."""
    text = _ascii_lower(raw or "").strip()
    while True:
        stripped = _PLACE_PREFIX.sub("", text).strip()
        if stripped == text:
            break
        text = stripped
    text = " ".join(_old_spelling(w) for w in re.sub(r"[^a-z0-9\s]", " ", text).split())
    return text.replace(" ", "")


class Gazetteer:
    """Region names and codes: villages ``{code: name}`` and districts ``{code: name}``.

    Village codes look like ``35.10.05.2001``; their district is the first three parts.
    """

    def __init__(self, *, villages: Mapping[str, str], districts: Mapping[str, str]) -> None:
        self.villages = dict(villages)
        self.districts = dict(districts)
        self._by_village: dict[str, list[str]] = {}
        for code, name in self.villages.items():
            self._by_village.setdefault(clean_place_name(name), []).append(code)
        self._by_district: dict[str, list[str]] = {}
        for code, name in self.districts.items():
            self._by_district.setdefault(clean_place_name(name), []).append(code)
        # match_region's answers by the names as written: an extract repeats the same few
        # hundred (desa, kecamatan) pairs over hundreds of thousands of rows.
        self.matches: dict[tuple[str | None, str | None, float], tuple[str | None, str | None]] = {}

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str]]) -> Gazetteer:
        """From ``(code, name, level)`` rows, level ``village``/``district`` (others ignored)."""
        villages: dict[str, str] = {}
        districts: dict[str, str] = {}
        for code, name, level in rows:
            if level == "village":
                villages[code] = name
            elif level == "district":
                districts[code] = name
        return cls(villages=villages, districts=districts)

    def village_codes(self, cleaned: str) -> list[str]:
        return list(self._by_village.get(cleaned, []))

    def district_codes(self, cleaned: str) -> list[str]:
        return list(self._by_district.get(cleaned, []))

    def village_names(self) -> list[str]:
        return list(self._by_village)

    def district_names(self) -> list[str]:
        return list(self._by_district)


def _closest(name: str, candidates: list[str], cutoff: float) -> str | None:
    found = difflib.get_close_matches(name, candidates, n=2, cutoff=cutoff)
    if not found:
        return None
    if len(found) == 2:
        first = difflib.SequenceMatcher(None, name, found[0]).ratio()
        second = difflib.SequenceMatcher(None, name, found[1]).ratio()
        if first - second < 0.05:
            return None  # two names equally close: do not guess
    return found[0]


def match_region(
    desa: str | None, kecamatan: str | None, gazetteer: Gazetteer, *, cutoff: float = 0.85
) -> tuple[str | None, str | None]:
    """``(village_code, district_code)`` for written desa and kecamatan names.

    Exact names first, then a close spelling (``cutoff`` similarity). A desa
    name found in several kecamatan needs the kecamatan to decide; without it
    only the district is returned when all candidates share one. Either part is
    None when it cannot be decided. Each answer is kept in ``gazetteer.matches``.
    """
    key = (desa, kecamatan, cutoff)
    found = gazetteer.matches.get(key)
    if found is None:
        found = gazetteer.matches[key] = _match_region(desa, kecamatan, gazetteer, cutoff)
    return found


def _match_region(
    desa: str | None, kecamatan: str | None, gazetteer: Gazetteer, cutoff: float
) -> tuple[str | None, str | None]:
    district: str | None = None
    kec = clean_place_name(kecamatan)
    if kec:
        codes = gazetteer.district_codes(kec)
        if not codes:
            close = _closest(kec, gazetteer.district_names(), cutoff)
            codes = gazetteer.district_codes(close) if close else []
        if len(codes) == 1:
            district = codes[0]
    name = clean_place_name(desa)
    if not name:
        return None, district
    codes = gazetteer.village_codes(name)
    if not codes:
        pool = gazetteer.village_names()
        if district:
            pool = [
                n
                for n in pool
                if any(c.startswith(district + ".") for c in gazetteer.village_codes(n))
            ]
        close = _closest(name, pool, cutoff)
        codes = gazetteer.village_codes(close) if close else []
    if district:
        codes = [c for c in codes if c.startswith(district + ".")]
    if len(codes) == 1:
        return codes[0], codes[0].rsplit(".", 1)[0]
    parents = {c.rsplit(".", 1)[0] for c in codes}
    if len(parents) == 1 and district is None:
        district = parents.pop()
    return None, district
