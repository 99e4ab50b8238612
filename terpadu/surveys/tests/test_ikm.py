"""The IKM computation and the Krejcie & Morgan sample size, with the domain reference's vectors."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terpadu.surveys.ikm import (
    STANDARD_CODES,
    classify,
    compute_ikm,
    ikm_from_rows,
    krejcie_morgan,
    round_half_up,
)


def all_answers(value: int, n: int = 10) -> list[dict[str, int | None]]:
    return [dict.fromkeys(STANDARD_CODES, value) for _ in range(n)]


@pytest.mark.parametrize(
    ("value", "ikm", "mutu", "kinerja"),
    [
        (4, "100.00", "A", "Sangat baik"),
        (3, "75.00", "C", "Kurang baik"),  # not B: users find this surprising
        (2, "50.00", "D", "Tidak baik"),
        (1, "25.00", "D", "Tidak baik"),
    ],
)
def test_sanity_vectors(value, ikm, mutu, kinerja):
    result = ikm_from_rows(all_answers(value))
    assert result.ikm == Decimal(ikm)
    assert str(result.ikm) == ikm
    assert (result.mutu, result.kinerja) == (mutu, kinerja)
    assert result.n == 10


@pytest.mark.parametrize(
    ("ikm", "mutu"),
    [
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("100.00", "A"),
    ],
)
def test_interval_table_boundaries(ikm, mutu):
    assert classify(Decimal(ikm))[0] == mutu


def test_rounding_only_at_the_end():
    # One questionnaire of 3s with U1 = 4: exact IKM = 25 × 28/9 = 77.777… -> 77.78 (B)
    row = dict.fromkeys(STANDARD_CODES, 3)
    row["U1"] = 4
    result = ikm_from_rows([row])
    assert result.ikm_exact == Fraction(700, 9)
    assert result.ikm == Decimal("77.78")
    # A weight rounded to 0.111 (as public worked examples do) would give 77.70
    assert round(sum(row.values()) * 0.111 * 25, 2) == 77.7
    # Rounding NRRs to 2 decimals first would move an IKM across the C/B line:
    # NRR 3.0644… (exact IKM 76.61) vs NRR rounded 3.06 (76.50)
    totals = {code: (30644, 10000) for code in STANDARD_CODES}
    exact = compute_ikm(totals, 10000)
    assert exact.ikm == Decimal("76.61") and exact.mutu == "B"
    rounded_first = round(30644 / 10000, 2) * 25
    assert rounded_first < 76.61


def test_unanswered_items_are_excluded_per_unsur():
    rows = [
        {**dict.fromkeys(STANDARD_CODES, 4), "U4": None},
        {**dict.fromkeys(STANDARD_CODES, 2), "U4": 4},
    ]
    result = ikm_from_rows(rows)
    assert result.nrr["U4"] == 4  # one questionnaire answered U4
    assert result.nrr["U1"] == 3
    # (8 × 3 + 4) / 9 × 25 = 77.777… -> 77.78
    assert result.ikm == Decimal("77.78")


def test_an_unsur_nobody_answered_drops_out_of_the_weights():
    rows = [{**dict.fromkeys(STANDARD_CODES, 3), "U9": None}] * 4
    result = ikm_from_rows(rows)
    assert result.nrr["U9"] is None
    assert result.weight == Fraction(1, 8)
    assert result.ikm == Decimal("75.00")


def test_values_outside_the_scale_are_refused():
    with pytest.raises(ValueError, match="U3"):
        ikm_from_rows([{**dict.fromkeys(STANDARD_CODES, 3), "U3": 5}])
    with pytest.raises(ValueError):
        ikm_from_rows([{**dict.fromkeys(STANDARD_CODES, 3), "U1": 0}])


def test_lowest_unsur_for_follow_up():
    row = dict.fromkeys(STANDARD_CODES, 4)
    row["U3"] = 2
    row["U8"] = 2
    assert ikm_from_rows([row]).lowest() == ["U3", "U8"]


KM_POINTS = {
    10: 10,
    15: 14,
    20: 19,
    25: 24,
    30: 28,
    35: 32,
    40: 36,
    45: 40,
    50: 44,
    55: 48,
    60: 52,
    220: 140,
    230: 144,
    240: 148,
    250: 152,
    260: 155,
    270: 159,
    280: 162,
    290: 165,
    300: 169,
    320: 175,
    340: 181,
    1200: 291,
    1300: 297,
    1400: 302,
    1500: 306,
    1600: 310,
    1700: 313,
    1800: 317,
    1900: 320,
    2000: 322,
    2200: 327,
    100: 80,
    500: 217,
    1000: 278,
    3000: 341,
    5000: 357,
    10000: 370,
    20000: 377,
    50000: 381,
    75000: 382,
    100000: 383,
    1_000_000: 384,
}


@pytest.mark.parametrize(("population", "sample"), sorted(KM_POINTS.items()))
def test_krejcie_morgan_points(population, sample):
    assert krejcie_morgan(population) == sample


def test_krejcie_morgan_edges():
    assert krejcie_morgan(0) == 0
    assert krejcie_morgan(1) == 1


def test_round_half_up_is_exact():
    assert round_half_up(Fraction(7500, 100)) == Decimal("75.00")
    assert round_half_up(Fraction(1, 200)) == Decimal("0.01")  # 0.005 -> 0.01, never banker's
    assert round_half_up(Fraction(-1, 200)) == Decimal("-0.01")


@given(st.lists(st.lists(st.integers(1, 4), min_size=9, max_size=9), min_size=1, max_size=40))
def test_matches_the_closed_form_when_nobody_skips(answers):
    rows = [dict(zip(STANDARD_CODES, values, strict=True)) for values in answers]
    result = ikm_from_rows(rows)
    closed = Fraction(25 * sum(map(sum, answers)), len(answers) * 9)
    assert result.ikm_exact == closed
    assert result.ikm == round_half_up(closed)
    assert Decimal(25) <= result.ikm <= Decimal(100)
