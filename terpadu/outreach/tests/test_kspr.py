"""KSPR scoring (domain.md §4): every item, several items, group boundaries, totals 2 + 4k."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from terpadu.outreach import kspr

EIGHT = {"10", "17", "18", "19", "20"}
ALL_CODES = [
    "1",
    "2a",
    "2b",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9a",
    "9b",
    "9c",
    "10",
    "11a",
    "11b",
    "11c",
    "11d",
    "11e",
    "11f",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "20",
]


def test_the_card_has_every_item_of_domain_md_in_order() -> None:
    assert [item.code for item in kspr.ITEMS] == ALL_CODES
    assert {i.code for i in kspr.ITEMS if i.points == 8} == EIGHT
    assert {i.group for i in kspr.ITEMS if i.code in {"19", "20"}} == {"III"}
    assert {i.group for i in kspr.ITEMS if i.code.startswith("11")} == {"II"}


def test_no_item_is_low_risk() -> None:
    result = kspr.score([])
    assert (result.score, result.group) == (2, "KRR")
    assert result.as_dict()["colour"] == "hijau"
    assert result.as_dict()["place"] == "Rumah / Polindes"


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_item_alone(code: str) -> None:
    result = kspr.score([code])
    if code in EIGHT:
        assert (result.score, result.group) == (10, "KRT")
    else:
        assert (result.score, result.group) == (6, "KRT")
    assert result.as_dict()["colour"] == "kuning"


@pytest.mark.parametrize(
    ("items", "score", "group"),
    [
        (["2b", "6"], 10, "KRT"),  # first pregnancy at 36: both apply (domain.md §4.3)
        (["1", "10", "17"], 22, "KRST"),
        (["11a", "11b"], 10, "KRT"),  # diseases add up, 4 each
        (["11a", "11b", "11c", "11d", "11e", "11f"], 26, "KRST"),
        (["3", "5", "7"], 14, "KRST"),  # the lowest KRST total that can occur
        (["19"], 10, "KRT"),
        (["19", "20"], 18, "KRST"),
        (ALL_CODES, 2 + 4 * 23 + 8 * 5, "KRST"),
    ],
)
def test_several_items(items: list[str], score: int, group: str) -> None:
    result = kspr.score(items)
    assert (result.score, result.group) == (score, group)


def test_group_boundaries_and_impossible_totals() -> None:
    assert kspr.group_for(2) == "KRR"
    assert kspr.group_for(6) == "KRT"
    assert kspr.group_for(10) == "KRT"
    assert kspr.group_for(14) == "KRST"
    for impossible in (0, 1, 3, 4, 5, 7, 8, 9, 11, 12, 13):
        with pytest.raises(kspr.KsprError):
            kspr.group_for(impossible)
    assert kspr.score(["3", "5", "7"]).risk.colour == "merah"
    assert kspr.score(["3", "5", "7"]).risk.place == "Rumah sakit"


@settings(deadline=None)  # a shared, loaded machine must not fail a pure property
@given(st.sets(st.sampled_from(ALL_CODES)))
def test_totals_are_always_two_plus_four_k(items: set[str]) -> None:
    result = kspr.score(items)
    assert (result.score - 2) % 4 == 0
    assert result.score != 12
    assert result.score == 2 + sum(8 if c in EIGHT else 4 for c in items)
    expected = "KRR" if result.score == 2 else "KRT" if result.score <= 10 else "KRST"
    assert result.group == expected


def test_aliases_duplicates_and_unknown_codes() -> None:
    assert kspr.score(["age-over-35", "anemia"]).items == ("6", "11a")
    assert kspr.score(["10", "10", " 10 "]).score == 10  # a box ticked twice counts once
    assert kspr.score(["11A"]).items == ("11a",)
    with pytest.raises(kspr.KsprError):
        kspr.score(["21"])
    with pytest.raises(kspr.KsprError):
        kspr.score(["11g"])


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("kspr", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_cli_items_flags_and_json() -> None:
    code, out, _ = _cli("--items", "1,10,17")
    body = json.loads(out)
    assert code == 0
    assert (body["score"], body["group"]) == (22, "KRST")
    assert body["place"] == "Rumah sakit"
    code, out, _ = _cli("--age-over-35", "--anemia")
    assert code == 0 and json.loads(out)["score"] == 10
    code, out, _ = _cli("--items", '["2b", "6"]')
    assert code == 0 and json.loads(out)["group"] == "KRT"
    code, out, _ = _cli()
    assert code == 0 and json.loads(out) | {} == json.loads(out)
    assert json.loads(out)["group"] == "KRR"


def test_cli_bad_input_exits_2_with_one_line() -> None:
    code, out, err = _cli("--items", "1,99")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "99" in err
    code, _, err = _cli("--items", '["1",')
    assert code == 2 and "JSON" in err
