"""Partial permanent disability from the disability table (PP 44/2015 Lampiran III, tabel persentase cacat
sebagian anatomis): the table's percentage (x the percentage of the part's function lost) x 80 x income
(PP 82/2019 Lampiran III), one line per body part, the shipped table kept as data."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.claims import rules
from jaring.claims.rules import BodyPart, Injury

DATA = Path(rules.__file__).resolve().parent / "data" / "disability_table.csv"


def _shipped() -> dict[str, BodyPart]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {r["code"]: BodyPart(code=r["code"], part=r["part"], percent=Decimal(r["percent"]), mirror=r["mirror"],
                                    source=r["source"]) for r in csv.DictReader(handle)}  # fmt: skip


TABLE = _shipped()


def _amount(income: int, *injuries: Injury, left_handed: bool = False) -> int:
    return rules.total(rules.partial_disability_lines(income=income, injuries=list(injuries), table=TABLE,
                                                      left_handed=left_handed))  # fmt: skip


def test_the_shipped_table_is_whole() -> None:
    """27 rows (Lampiran III nos. 1-27), each citing its row; every right/left pair mirrors the other and the
    right (working) side is valued at least as high as the left."""
    assert len(TABLE) == 27
    assert all(row.source.startswith("PP 44/2015 Lampiran III") for row in TABLE.values())
    for row in TABLE.values():
        if row.mirror:
            assert TABLE[row.mirror].mirror == row.code
            right, left = (row, TABLE[row.mirror]) if "kanan" in row.code else (TABLE[row.mirror], row)
            assert right.percent >= left.percent


@pytest.mark.parametrize(
    ("injuries", "income", "amount"),
    [
        ([Injury("ibu_jari_kanan")], 1_000_000, 12_000_000),  # no. 15: 15 % x 80 x 1 m
        ([Injury("lengan_bahu_kanan")], 2_000_000, 64_000_000),  # no. 1: 40 % x 80 x 2 m
        ([Injury("ruas_telunjuk_kanan")], 1_000_000, 3_600_000),  # no. 21: 4.5 %
        ([Injury("ruas_jari_lain_kiri")], 1_000_000, 1_200_000),  # no. 24: 1.5 %
        ([Injury("telunjuk_kanan", Decimal(50))], 1_000_000, 3_600_000),  # no. 17: 9 % x 50 % of the function
        ([Injury("ibu_jari_kanan"), Injury("telunjuk_kanan")], 1_000_000, 19_200_000),  # 15 % + 9 %
        ([Injury("mata_sebelah")], 1_500_000, 42_000_000),  # no. 12: 35 % x 80 x 1.5 m
        ([Injury("jari_kaki_lain")], 1_234_567, 1_975_307),  # no. 27: 2 % x 80 x 1,234,567 = 1,975,307.2
    ],
)
def test_table_percentage_times_80_times_income(injuries: list[Injury], income: int, amount: int) -> None:
    assert _amount(income, *injuries) == amount


def test_each_part_is_a_line_citing_its_row() -> None:
    lines = rules.partial_disability_lines(income=1_000_000, table=TABLE,
                                           injuries=[Injury("ibu_jari_kanan"), Injury("telunjuk_kanan", Decimal(50))])  # fmt: skip
    assert [line.amount for line in lines] == [12_000_000, 3_600_000]
    assert lines[0].basis == "PP 44/2015 Lampiran III tabel cacat sebagian anatomis no. 15: 15 % x 80 x upah"
    assert "50 % fungsi hilang" in lines[1].item and "4.5 % x 80 x upah" in lines[1].basis


@pytest.mark.parametrize(
    ("code", "amount"),
    [("ibu_jari_kanan", 9_600_000), ("ibu_jari_kiri", 12_000_000), ("lengan_bahu_kiri", 32_000_000),
     ("mata_sebelah", 28_000_000)],  # sides swapped for hands and arms; an eye has no side in the table
)  # fmt: skip
def test_a_left_handed_workers_sides_are_valued_swapped(code: str, amount: int) -> None:
    assert _amount(1_000_000, Injury(code), left_handed=True) == amount


@pytest.mark.parametrize(
    ("injuries", "error"),
    [
        ([], "PART_MISSING"),
        ([Injury("ekor")], "PART_UNKNOWN"),
        ([Injury("ibu_jari_kanan"), Injury("ibu_jari_kanan")], "PART_DUPLICATE"),
        ([Injury("ibu_jari_kanan", Decimal(0))], "PART_FUNCTION_INVALID"),
        ([Injury("ibu_jari_kanan", Decimal(101))], "PART_FUNCTION_INVALID"),
        ([Injury("mata_kedua"), Injury("kaki_paha_kedua")], "PERCENT_TOO_HIGH"),  # 140 %: a total disability
    ],
)
def test_inputs_the_table_cannot_value(injuries: list[Injury], error: str) -> None:
    with pytest.raises(rules.RuleInputError) as caught:
        rules.partial_disability_lines(income=1_000_000, injuries=injuries, table=TABLE)
    assert caught.value.code == error


@pytest.mark.parametrize(
    ("text", "injury"),
    [("ibu_jari_kanan", Injury("ibu_jari_kanan", Decimal(100))), (" Telunjuk_Kanan:50 ", Injury("telunjuk_kanan", Decimal(50))),
     ("mata_sebelah:12.5", Injury("mata_sebelah", Decimal("12.5")))],
)  # fmt: skip
def test_injury_parse(text: str, injury: Injury) -> None:
    assert rules.injury_parse(text) == injury


@pytest.mark.parametrize(
    ("text", "error"), [("", "PART_MISSING"), ("ibu_jari_kanan:separuh", "PART_FUNCTION_INVALID")]
)
def test_injury_parse_refuses(text: str, error: str) -> None:
    with pytest.raises(rules.RuleInputError) as caught:
        rules.injury_parse(text)
    assert caught.value.code == error


@given(code=st.sampled_from(sorted(TABLE)), income=st.integers(1_000_000, 20_700_000),
       lost=st.integers(1, 100))  # fmt: skip
def test_any_row_pays_its_share_of_80_times_income(code: str, income: int, lost: int) -> None:
    amount = _amount(income, Injury(code, Decimal(lost)))
    exact = TABLE[code].percent * lost / 100 / 100 * 80 * income
    assert abs(amount - exact) <= Decimal("0.5")
    assert amount <= _amount(
        income, Injury(code)
    )  # losing part of a function never pays more than losing all
