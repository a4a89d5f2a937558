"""The bulk allocation applies the same conditions as the pure rule: `exclusion_frame` (Polars, a million pairs
at once) is checked against `rules.exclusion_reason` on generated workers and programs."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.engine import exclusion_frame

OCC = ["petani", "nelayan", "ojek"]
ECO = ["desa", "rentan", "pasar"]

workers = st.builds(
    rules.Candidate,
    occupation=st.sampled_from(OCC),
    ecosystem=st.sampled_from(ECO),
    birth_date=st.one_of(st.none(), st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2010, 12, 31))),
    decile=st.one_of(st.none(), st.integers(1, 10)),
    pays_own_way=st.booleans(),
)
conditions = st.builds(
    rules.Eligibility,
    occupations=st.frozensets(st.sampled_from(OCC), max_size=2),
    ecosystems=st.frozensets(st.sampled_from(ECO), max_size=2),
    age_min=st.one_of(st.none(), st.integers(15, 40)),
    age_max=st.one_of(st.none(), st.integers(30, 70)),
    decile_max=st.one_of(st.none(), st.integers(1, 10)),
    only_uncovered=st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(workers, conditions), min_size=1, max_size=30),
    st.sampled_from([Period(2026, 11), Period(2027, 3)]),
)
def test_bulk_conditions_match_the_rule(
    cases: list[tuple[rules.Candidate, rules.Eligibility]], first: Period
) -> None:
    frame = pl.DataFrame(
        [
            {"occupation": w.occupation, "ecosystem": w.ecosystem,
             "birth_year": w.birth_date.year if w.birth_date else None,
             "birth_month": w.birth_date.month if w.birth_date else None,
             "birth_day": w.birth_date.day if w.birth_date else None, "decile": w.decile,
             "pays_own_way": w.pays_own_way, "occupations": sorted(c.occupations), "ecosystems": sorted(c.ecosystems),
             "age_min": c.age_min, "age_max": c.age_max, "decile_max": c.decile_max,
             "only_uncovered": c.only_uncovered, "first_year": first.year, "first_month": first.month}
            for w, c in cases
        ],
        schema={"occupation": pl.String, "ecosystem": pl.String, "birth_year": pl.Int32, "birth_month": pl.Int32,
                "birth_day": pl.Int32, "decile": pl.Int64, "pays_own_way": pl.Boolean,
                "occupations": pl.List(pl.String), "ecosystems": pl.List(pl.String), "age_min": pl.Int32,
                "age_max": pl.Int32, "decile_max": pl.Int64, "only_uncovered": pl.Boolean, "first_year": pl.Int32,
                "first_month": pl.Int32},
    )  # fmt: skip
    bulk = exclusion_frame(frame).get_column("reason").to_list()
    pure = [rules.exclusion_reason(rules=c, worker=w, first_period=first) for w, c in cases]
    assert bulk == [r.value if r else None for r in pure]
