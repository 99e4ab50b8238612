"""What the hall board says aloud: Indonesian number words and the call sentence.

"Nomor antrean A dua belas, silakan menuju loket lima" — or, with the hall's
``speak_digits`` rule, digit by digit as printed: "A nol satu dua".
"""

from __future__ import annotations

ONES = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
]


def terbilang(n: int) -> str:
    """Indonesian words for 0 ≤ n < 1,000,000 (e.g. 112 → "seratus dua belas")."""
    if n < 0 or n >= 1_000_000:
        raise ValueError("n out of range")
    if n < 12:
        return ONES[n]
    if n < 20:
        return f"{ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{ONES[tens]} puluh" + (f" {ONES[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{ONES[hundreds]} ratus"
        return head + (f" {terbilang(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    head = "seribu" if thousands == 1 else f"{terbilang(thousands)} ribu"
    return head + (f" {terbilang(rest)}" if rest else "")


def digits(n: int, width: int = 3) -> str:
    return " ".join(ONES[int(d)] for d in f"{n:0{width}d}")


def spoken_call(letter: str, number: int, counter: int, *, digits: bool = False) -> str:
    said = globals()["digits"](number) if digits else terbilang(number)
    return f"Nomor antrean {letter} {said}, silakan menuju loket {terbilang(counter)}"
