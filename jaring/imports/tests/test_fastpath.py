"""The vectorised fast path must agree with RowValidator: every row it settles is one RowValidator accepts
with no issue at all, with exactly the same values; every other row is handed back."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jaring.demo.synthetic import MistakeRates, PeopleFactory, list_row
from jaring.imports.fastpath import fast_validate
from jaring.imports.reading import Chunk, _excel_chunk
from jaring.registry.rules.rows import FIELDS, VALUE_FIELDS, RowContext, RowValidator

TODAY = dt.date(2026, 11, 21)
VILLAGES = ["36.03.01.2003", "36.03.01.2005", "36.03.02.2001", "35.25.01.2001", "61.71.01.1001"]
PREFIXES = frozenset({"360301", "360302", "352501", "617101", "3603", "3525", "6171"})
CTX = RowContext(today=TODAY, known_prefixes=PREFIXES, village_codes=frozenset(VILLAGES))


def csv_chunk(rows: list[dict[str, object]]) -> Chunk:
    fields = [f for f in FIELDS if f != "birth_place_date"]
    data: dict[str, Any] = {"row": list(range(2, len(rows) + 2)), "nik_number": [False] * len(rows)}
    for f in fields:
        data[f] = ["" if r.get(f) is None else str(r.get(f)) for r in rows]
    return Chunk(pl.DataFrame(data), None)


def excel_chunk(rows: list[dict[str, object]]) -> Chunk:
    fields = [(f, i) for i, f in enumerate(FIELDS)]
    return _excel_chunk([[r.get(f) for f in FIELDS] for r in rows], fields, 2)


def check_agreement(chunk: Chunk, scope: tuple[str, ...] | None = None) -> tuple[int, int]:
    validator = RowValidator(CTX)
    clean, slow = fast_validate(chunk.frame, validator, scope)
    positions = {row: i for i, row in enumerate(chunk.frame["row"].to_list())}
    assert clean.height + len(slow) == chunk.frame.height
    assert not set(slow) & {positions[r] for r in clean["row"].to_list()}
    cells = chunk.cells([positions[r] for r in clean["row"].to_list()])
    for got, row_cells in zip(clean.iter_rows(named=True), cells, strict=True):
        expected = validator.validate(row_cells)
        assert expected.issues == [], (row_cells, expected.issues)
        village = str(expected.values["village_code"])
        assert scope is None or any(village == s or village.startswith(s + ".") for s in scope)
        assert {c: got[c] for c in VALUE_FIELDS} == {c: expected.values[c] for c in VALUE_FIELDS}, row_cells
    return clean.height, len(slow)


def messy_rows(n: int, seed: int) -> list[dict[str, object]]:
    factory = PeopleFactory(
        seed=seed, villages=VILLAGES, known_districts=sorted(p for p in PREFIXES if len(p) == 6), today=TODAY
    )
    rates = MistakeRates(missing_nik=0.05, excel_nik=0.03, swapped_date=0.05, name_typo=0.05, bad_village=0.03,
                         bad_phone=0.05, unknown_occupation=0.05, too_old=0.03)  # fmt: skip
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        row = list_row(rng, factory.person(), rates)
        r = rng.random()
        if r < 0.05:
            row["sex"] = rng.choice(["Laki-laki", "PEREMPUAN", "x", "", "p"])
        elif r < 0.08:
            row["full_name"] = rng.choice(["", "   ", "SITI  AMINAH", "a" * 151])
        elif r < 0.11:
            row["village_code"] = str(row["village_code"]).replace(".", "")
        elif r < 0.13:
            row["income"] = rng.choice(["Rp 1.500.000", "500000", "sejuta", ""])
        elif r < 0.15:
            row["birth_date"] = rng.choice(["", "1 Januari 1980", "17/08/80", "29450"])
        rows.append(row)
    return rows


def test_fast_path_agrees_with_the_validator_on_messy_csv_lists() -> None:
    clean, slow = check_agreement(csv_chunk(messy_rows(3000, seed=11)))
    assert clean > 1500 and slow > 300  # both paths really ran


def test_fast_path_agrees_on_excel_cells_numbers_and_dates() -> None:
    rows = messy_rows(1500, seed=12)
    rng = random.Random(3)
    for row in rows:
        if rng.random() < 0.3 and isinstance(row["birth_date"], str) and len(row["birth_date"]) == 10:
            d, m, y = row["birth_date"].replace("/", "-").split("-")
            try:
                row["birth_date"] = dt.datetime(int(y), int(m), int(d))  # a real date cell
            except ValueError:
                pass
        if rng.random() < 0.2:
            row["income"] = 1_000_000.0
            row["village_code"] = float(str(row["village_code"]).replace(".", ""))
    clean, slow = check_agreement(excel_chunk(rows))
    assert clean > 700 and slow > 100


def test_fast_path_respects_the_uploaders_scope() -> None:
    clean, _ = check_agreement(csv_chunk(messy_rows(800, seed=13)), scope=("36.03.01",))
    assert clean > 0


_nik_digits = st.text(alphabet="0123456789", min_size=16, max_size=16)
_cell = st.one_of(
    st.none(), st.text(max_size=8), st.sampled_from(["", " ", "-", "0", "L", "P", "36.03.01.2003"])
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    data=st.lists(
        st.fixed_dictionaries(
            {
                "nik": st.one_of(_nik_digits.map(lambda s: "360301" + s[6:]), _nik_digits, _cell),
                "full_name": st.one_of(st.sampled_from(["Budi", "SITI AMINAH", " a  b "]), _cell),
                "sex": _cell,
                "birth_date": st.one_of(
                    st.dates(dt.date(1940, 1, 1), TODAY).map(lambda d: f"{d:%d-%m-%Y}"), _cell
                ),
                "village_code": st.one_of(st.sampled_from(VILLAGES), _cell),
                "phone": st.one_of(st.sampled_from(["081234567890", "+62 812 3456 7890", "0812"]), _cell),
                "occupation": st.one_of(st.sampled_from(["Petani", "OJOL", "Astronot"]), _cell),
                "income": st.one_of(st.sampled_from(["1000000", "Rp 2.000.000", "5"]), _cell),
                "poverty_decile": st.one_of(st.sampled_from(["3", "11"]), _cell),
            }
        ),
        min_size=1,
        max_size=30,
    )
)
def test_fast_path_never_accepts_what_the_validator_would_not(data: list[dict[str, object]]) -> None:
    rows = [{k: ("" if v is None else v) for k, v in d.items()} for d in data]
    check_agreement(csv_chunk(rows))


def test_values_have_the_staged_types() -> None:
    validator = RowValidator(CTX)
    clean, _ = fast_validate(csv_chunk(messy_rows(200, seed=14)).frame, validator, None)
    assert clean.schema["birth_date"] == pl.Date and clean.schema["income_tier"] == pl.Int64
