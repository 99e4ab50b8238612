"""Is a reported person someone we already know? Small, pure name matching for reports.

A community reporter writes "Bu Siti Aminah, ± 25 th, Dusun Krajan". We compare a
normalised name (titles dropped, old spellings modernised, letters only) and the
approximate age against the open cases and the residents of the same desa.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from difflib import SequenceMatcher

TITLES = frozenset(
    {
        "ny",
        "nyonya",
        "bu",
        "ibu",
        "hj",
        "hajjah",
        "mbak",
        "mba",
        "sdri",
        "sdr",
        "nn",
        "nona",
        "bpk",
        "pak",
        "bapak",
        "h",
        "dik",
        "adik",
        "mas",
        "an",
    }
)
_OLD = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("nj", "ny"), ("sj", "sy"), ("ch", "kh"))
_NON_LETTER = re.compile(r"[^a-z\s]")
_DOUBLE = re.compile(r"([a-z])\1+")


def normalise_name(raw: str) -> str:
    text = unicodedata.normalize("NFKD", raw or "").encode("ascii", "ignore").decode().lower()
    text = _NON_LETTER.sub(" ", text.replace(".", " "))
    words = [w for w in text.split() if w not in TITLES]
    out = []
    for word in words:
        for old, new in _OLD:
            word = word.replace(old, new)
        out.append(_DOUBLE.sub(r"\1", word))
    return " ".join(out)


def name_similarity(a: str, b: str) -> float:
    """0–1: equal normalised names 1.0; a name that is the start of the other 0.9."""
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    if nb.startswith(na + " ") or na.startswith(nb + " "):
        return 0.9
    return SequenceMatcher(None, na, nb).ratio()


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def ages_agree(approx: int | None, known: int | None, tolerance: int = 4) -> bool:
    if approx is None or known is None:
        return True
    return abs(approx - known) <= tolerance


NAME_THRESHOLD = 0.88
