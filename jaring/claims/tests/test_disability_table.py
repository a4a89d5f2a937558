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

DATA = Path(rules.__file__).resolve().parents[1] / "data" / "disability_table.csv"
DATA_2019 = Path(rules.__file__).resolve().parents[1] / "data" / "disability_table_pp82_2019.csv"


def _number(text: str | None) -> Decimal | None:
    return Decimal(text) if text else None


def _shipped(path: Path = DATA) -> dict[str, BodyPart]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["code"]: BodyPart(code=r["code"], part=r["part"], percent=Decimal(r["percent"]), mirror=r["mirror"],
                                    source=r["source"], percent_max=_number(r.get("percent_max")),
                                    step=_number(r.get("step")), unit=r.get("unit") or "")
                for r in csv.DictReader(handle)}  # fmt: skip


TABLE = _shipped()
TABLE_2019 = _shipped(DATA_2019)


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


# ------------------------------------------------------------------------------ PP 82/2019's table


def test_the_2019_table_keeps_the_27_rows_and_adds_the_head() -> None:
    """PP 82/2019 Lampiran III: the 27 rows of PP 44/2015 with the same percentages, and the rows of the head
    (domain rules section 3): scalp, ear lobes, nose, smell, sight, colour vision, visual field, hearing."""
    assert len(TABLE_2019) == 38 and set(TABLE) < set(TABLE_2019)
    assert all(TABLE_2019[code].percent == row.percent and TABLE_2019[code].mirror == row.mirror
               for code, row in TABLE.items())  # fmt: skip
    assert all(row.source.startswith("PP 82/2019 Lampiran III") for row in TABLE_2019.values())
    kinds = {code: row.kind for code, row in TABLE_2019.items() if row.kind != "part"}
    assert kinds == {"kulit_kepala": "range", "lapangan_pandang": "step", "dengar_kedua_db": "step",
                     "dengar_sebelah_db": "step"}  # fmt: skip


def _amount_2019(income: int, *injuries: Injury) -> int:
    return rules.total(
        rules.partial_disability_lines(income=income, injuries=list(injuries), table=TABLE_2019)
    )


@pytest.mark.parametrize(
    ("injury", "percent"),
    [
        (Injury("kulit_kepala", value=Decimal(10)), 10),  # scalp torn away: 10-30 %, the doctor fixes it
        (Injury("kulit_kepala", value=Decimal(30)), 30),
        (Injury("kulit_kepala", value=Decimal("22.5")), Decimal("22.5")),
        (Injury("daun_telinga_sebelah"), 5),  # one ear lobe 5 %
        (Injury("daun_telinga_kedua"), 10),  # both ear lobes 10 %
        (Injury("cuping_hidung"), 30),  # nostril 30 %
        (Injury("sekat_hidung"), 15),  # perforated septum 15 %
        (Injury("penciuman"), 10),  # sense of smell 10 %
        (Injury("penglihatan_sebagian"), 7),  # partial loss of sight 7 %
        (Injury("penglihatan_warna"), 10),  # colour vision 10 %
        (Injury("lapangan_pandang", value=Decimal(10)), 7),  # visual field: 7 % per 10 % lost
        (Injury("lapangan_pandang", value=Decimal(35)), 21),  # three whole steps of 10 %
        (Injury("dengar_kedua_db", value=Decimal(30)), 18),  # hearing, both ears: 6 % per 10 dB
        (Injury("dengar_kedua_db", value=Decimal(90)), 40),  # at most the loss of both ears' hearing (40 %)
        (Injury("dengar_sebelah_db", value=Decimal(20)), 6),  # one ear: 3 % per 10 dB
        (Injury("dengar_sebelah_db", value=Decimal(100)), 20),  # at most one ear's hearing (20 %)
    ],
)
def test_the_head_rows_of_pp82(injury: Injury, percent: Decimal | int) -> None:
    assert _amount_2019(1_000_000, injury) == int(Decimal(percent) * 80 * 1_000_000 / 100)


@pytest.mark.parametrize(
    ("injury", "error"),
    [
        (Injury("kulit_kepala"), "PART_VALUE_MISSING"),  # a range needs the doctor's percentage
        (Injury("kulit_kepala", value=Decimal(35)), "PART_VALUE_OUT_OF_RANGE"),
        (Injury("kulit_kepala", value=Decimal(9)), "PART_VALUE_OUT_OF_RANGE"),
        (Injury("kulit_kepala", Decimal(50), Decimal(20)), "PART_VALUE_INVALID"),  # not a share of a function
        (Injury("dengar_kedua_db"), "PART_VALUE_MISSING"),  # the loss measured in dB
        (Injury("dengar_kedua_db", value=Decimal(5)), "PART_VALUE_OUT_OF_RANGE"),  # less than one step
        (Injury("dengar_kedua_db", value=Decimal(-10)), "PART_VALUE_OUT_OF_RANGE"),
        (Injury("penciuman", value=Decimal(10)), "PART_VALUE_INVALID"),  # a whole part takes no value
    ],
)
def test_values_the_rows_refuse(injury: Injury, error: str) -> None:
    with pytest.raises(rules.RuleInputError) as caught:
        rules.partial_disability_lines(income=1_000_000, injuries=[injury], table=TABLE_2019)
    assert caught.value.code == error


@pytest.mark.parametrize(
    ("text", "injury"),
    [("kulit_kepala=20", Injury("kulit_kepala", value=Decimal(20))),
     ("dengar_kedua_db = 30,5", Injury("dengar_kedua_db", value=Decimal("30.5")))],
)  # fmt: skip
def test_injury_parse_with_a_value(text: str, injury: Injury) -> None:
    assert rules.injury_parse(text) == injury


@pytest.mark.parametrize("text", ["kulit_kepala=dua puluh", "kulit_kepala=nan", "kulit_kepala=inf"])
def test_injury_parse_refuses_a_bad_value(text: str) -> None:
    with pytest.raises(rules.RuleInputError) as caught:
        rules.injury_parse(text)
    assert caught.value.code == "PART_VALUE_INVALID"


# ------------------------------------------------------------------ several parts: at most 70 %


@pytest.mark.parametrize(
    ("injuries", "income", "amount"),
    [
        # domain rules' decision: percentages add up to at most 70 % (56 x income, total disability's lump sum)
        ([Injury("lengan_bahu_kanan"), Injury("lengan_bahu_kiri")], 1_000_000, 56_000_000),  # 75 %: not 60 m
        (
            [Injury("mata_kedua"), Injury("kaki_paha_kedua")],
            2_000_000,
            112_000_000,
        ),  # 140 %: capped, not refused
        ([Injury("kaki_paha_kedua")], 1_000_000, 56_000_000),  # exactly 70 %: no cap line
        ([Injury("lengan_bahu_kanan"), Injury("ibu_jari_kiri")], 1_000_000, 41_600_000),  # 52 %: untouched
    ],
)
def test_several_parts_add_up_to_at_most_70_percent(injuries: list[Injury], income: int, amount: int) -> None:
    lines = rules.partial_disability_lines(income=income, injuries=injuries, table=TABLE)
    assert rules.total(lines) == amount
    capped = [line for line in lines if line.item.startswith("Batas cacat sebagian")]
    assert len(capped) == (sum(TABLE[i.code].percent for i in injuries) > 70)
    if capped:
        assert capped[0].amount < 0 and "70 %" in capped[0].item and "56 x upah" in capped[0].item


def test_a_doctors_percentage_is_capped_at_70_too() -> None:
    assert rules.total(rules.partial_disability_benefit(income=1_000_000, percent=Decimal(90))) == 56_000_000
    assert rules.total(rules.partial_disability_benefit(income=1_000_000, percent=Decimal(70))) == 56_000_000
    assert rules.total(rules.partial_disability_benefit(income=1_000_000, percent=Decimal(10))) == 8_000_000


@given(codes=st.lists(st.sampled_from(sorted(c for c, r in TABLE_2019.items() if r.kind == "part")), min_size=1,
                      max_size=6, unique=True), income=st.integers(1_000_000, 20_700_000))  # fmt: skip
def test_partial_disability_never_exceeds_total_disability(codes: list[str], income: int) -> None:
    amount = _amount_2019(income, *(Injury(code) for code in codes))
    assert (
        0 < amount <= 56 * income == rules.total(rules.total_disability_benefit(income=income)) - 12_000_000
    )
