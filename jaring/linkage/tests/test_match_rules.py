"""Pure rules of the review queue: NIKs that differ as a slip would make them (Dukcapil NIK, domain rules
section 4; the Excel 15-digit damage), the queue order, which record a merge keeps, and the engine's reading
of the model (levels and evidence)."""

from __future__ import annotations

import json

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.linkage import engine, rules
from jaring.linkage.rules import MergeSide
from jaring.linkage.services import DEFAULT_MODEL

NIK = "3603011204850001"


@pytest.mark.parametrize(
    ("a", "b", "typo"),
    [
        (NIK, "3603011204850007", True),  # one digit mistyped
        (NIK, "3603011204850010", True),  # two neighbours swapped (01 -> 10)
        (NIK, "3603012104850001", True),  # day digits swapped
        ("3603011204850017", "3603011204850010", True),  # Excel keeps 15 digits and writes a 0
        (NIK, "3603011204859991", False),  # three digits differ
        (NIK, "3603011204850100", False),  # two digits, not neighbours swapped
        (NIK, NIK, False),  # the same NIK is not a typo
        (NIK, None, False),
        (NIK, "360301120485000", False),  # 15 digits: not a NIK
    ],
)
def test_nik_typo_consistent(a: str, b: str | None, typo: bool) -> None:
    assert rules.nik_typo_consistent(a, b) is typo
    assert rules.nik_typo_consistent(b, a) is typo


@given(st.text(alphabet="0123456789", min_size=16, max_size=16), st.integers(0, 15), st.integers(1, 9))
def test_any_single_digit_slip_is_consistent(nik: str, position: int, shift: int) -> None:
    slipped = nik[:position] + str((int(nik[position]) + shift) % 10) + nik[position + 1 :]
    assert rules.nik_typo_consistent(nik, slipped)


@pytest.mark.parametrize(
    ("probability", "typo", "priority"),
    [(0.995, True, 0), (0.995, False, 1), (0.95, True, 2), (0.9, False, 2)],
)
def test_pair_priority(probability: float, typo: bool, priority: int) -> None:
    assert rules.pair_priority(probability=probability, nik_typo=typo, high=0.99) == priority


@pytest.mark.parametrize(
    ("a", "b", "kept"),
    [
        (MergeSide(1, False, True, 0), MergeSide(2, True, False, 0), 2),  # the NIK first
        (MergeSide(1, True, False, 0), MergeSide(2, True, True, 0), 2),  # then an active card
        (MergeSide(1, True, True, 0), MergeSide(2, True, True, 1), 2),  # then claims
        (MergeSide(3, True, True, 0), MergeSide(2, True, True, 0), 2),  # then the older record
    ],
)
def test_survivor_choice(a: MergeSide, b: MergeSide, kept: int) -> None:
    assert rules.survivor_choice(a, b) == kept == rules.survivor_choice(b, a)


def test_differences_are_what_to_highlight() -> None:
    assert rules.differences(
        {"nik": "1", "name": "A", "phone": ""}, {"nik": "1", "name": "B", "phone": None}
    ) == {"name"}


def test_the_shipped_model_labels_every_level() -> None:
    model = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    labels = engine.level_labels(model)
    assert set(labels) == set(engine.FIELDS)
    assert labels["birth_date"][3] == "tanggal dan bulan tertukar" and labels["nik"][-1] == "tidak ada data"
    m = [
        lv["m_probability"]
        for c in model["comparisons"]
        for lv in c["comparison_levels"]
        if not lv.get("is_null_level")
    ]
    assert min(m) >= engine.M_FLOOR * 0.9  # no level vetoes a match


def test_prepare_normalises_once_and_splits_place() -> None:
    frame = pl.DataFrame({"unique_id": [1], "nik": [""], "full_name": ["H. Moh. Yusuf bin Ahmad, S.Pd."], "sex": ["L"],
                          "birth_date": ["1985-04-12"], "mother_name": ["Sitti Aminah"], "phone": ["081234567890"],
                          "village_code": ["36.03.01.2003"]})  # fmt: skip
    row = engine.prepare(frame).row(0, named=True)
    assert row["name"] == "muhamad yusuf" and row["mother"] == "siti aminah" and row["nik"] is None
    assert (row["district"], row["regency"], row["phone"], row["birth_year"]) == (
        "36.03.01",
        "36.03",
        "34567890",
        "1985",
    )


# Issue #14: a clerk reads each field's evidence in words and as a factor, from its match weight (Fellegi-Sunter:
# the weight is log2 of the Bayes factor m/u; Splink's mw_<field>).
@pytest.mark.parametrize(
    ("weight", "words"),
    [
        (None, "tidak dinilai"),
        (8.2, "sangat mendukung orang yang sama"),
        (4.0, "sangat mendukung orang yang sama"),
        (1.5, "mendukung orang yang sama"),
        (0.0, "hampir tidak berpengaruh"),
        (-0.9, "hampir tidak berpengaruh"),
        (-2.0, "mendukung dua orang berbeda"),
        (-6.5, "sangat mendukung dua orang berbeda"),
    ],
)
def test_evidence_in_words(weight: float | None, words: str) -> None:
    from jaring.linkage.rules import evidence_words  # noqa: PLC0415

    assert evidence_words(weight) == words


@pytest.mark.parametrize(
    ("bf", "text"),
    [(None, "—"), (0.0, "—"), (1.0, "× 1,0"), (2.5, "× 2,5"), (120.4, "× 120"), (15_000.0, "× 15.000"),
     (0.5, "÷ 2,0"), (0.125, "÷ 8,0"), (0.01, "÷ 100")],
)  # fmt: skip
def test_bayes_factor_as_text(bf: float | None, text: str) -> None:
    from jaring.linkage.rules import bayes_factor_text  # noqa: PLC0415

    assert bayes_factor_text(bf) == text
