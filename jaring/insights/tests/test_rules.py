"""Coverage rules as tables of cases. Sources: the seed documents' figures (domain rules section 7: Kab. Gresik
39.40 % of its active workers, "1 Desa 100 Pekerja Rentan", BPS Sakernas Feb 2025 86.58 m informal workers,
the Paritrana Award's coverage ranking) and decision 0015 (which denominator, in which order)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.insights import rules
from jaring.insights.rules import Entered, TargetKind

NATIONAL = 284_973_643  # the shipped provinces' population (Dukcapil Dec 2024)


@pytest.mark.parametrize(
    ("covered", "target", "pct"),
    [
        (247_777, 628_876, 39.40),  # Kab. Gresik, 23 Dec 2022 (seed 003): 39.40 %
        (86_000, 86_000, 100.0),  # every vulnerable worker of Kab. Tangerang covered (seed 000)
        (1, 3, 33.33),
        (2, 3, 66.67),  # half up at the second decimal
        (0, 100, 0.0),
        (150, 100, 150.0),  # more covered than the region counted: shown, not capped
        (5, 0, None),  # no denominator, no percentage
        (5, None, None),
    ],
)
def test_coverage_pct(covered: int, target: int | None, pct: float | None) -> None:
    assert rules.coverage_pct(covered=covered, target=target) == pct


@pytest.mark.parametrize(
    ("level", "entered", "population", "villages", "workers", "kind"),
    [
        # the region's own figure always wins, whatever the level (decision 0015)
        (2, Entered(628_876, "BPS Kab. Gresik", 2022), 1_330_000, 356, 628_876, TargetKind.ENTERED),
        (4, Entered(250, "Musyawarah desa", 2026), None, 0, 250, TargetKind.ENTERED),
        # 1 Desa 100 Pekerja Rentan (seed 004)
        (4, None, None, 0, 100, TargetKind.VILLAGE_GOAL),
        # a district: 100 for each of its villages
        (3, None, None, 14, 1_400, TargetKind.VILLAGES),
        # a regency: its share of the nation's people x 86.58 m informal workers (BPS Sakernas Feb 2025)
        (2, None, 3_459_706, 274, 1_051_119, TargetKind.POPULATION),
        (1, None, NATIONAL, 0, 86_580_000, TargetKind.POPULATION),
        # a regency without a population figure falls back to 100 per village
        (2, None, None, 10, 1_000, TargetKind.VILLAGES),
        # the nation: BPS Sakernas
        (0, None, None, 0, 86_580_000, TargetKind.NATIONAL),
    ],
)
def test_target_for(
    level: int, entered: Entered | None, population: int | None, villages: int, workers: int, kind: TargetKind
) -> None:
    target = rules.target_for(level=level, entered=entered, population=population, national_population=NATIONAL,
                              villages=villages)  # fmt: skip
    assert (target.workers, target.kind) == (workers, kind)
    assert target.source  # every denominator says where it came from


def test_an_entered_target_names_its_source_and_year() -> None:
    target = rules.target_for(level=2, entered=Entered(628_876, "BPS Kab. Gresik", 2022), population=None,
                              national_population=NATIONAL, villages=0)  # fmt: skip
    assert target.source == "BPS Kab. Gresik (2022)"


@pytest.mark.parametrize(
    ("code", "level"),
    [("", 0), ("36", 1), ("36.03", 2), ("36.03.01", 3), ("36.03.01.2003", 4), ("3603", -1)],
)
def test_level_of(code: str, level: int) -> None:
    assert rules.level_of(code) == level


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([50.0, 70.0, 70.0, 10.0], [3, 1, 1, 4]),  # competition ranking, highest first
        ([None, 5.0], [None, 1]),  # a region without a figure has no rank
        ([], []),
    ],
)
def test_ranks(values: list[float | None], expected: list[int | None]) -> None:
    assert rules.ranks(values) == expected


@pytest.mark.parametrize(
    ("covered", "goal", "reached"), [(100, 100, True), (99, 100, False), (0, 100, False), (30, 25, True)]
)
def test_one_village_one_hundred(covered: int, goal: int, reached: bool) -> None:
    assert rules.goal_reached(covered=covered, goal=goal) is reached


@pytest.mark.parametrize(
    ("now", "before", "points"), [(39.4, 30.0, 9.4), (10.0, 12.5, -2.5), (None, 3.0, None), (3.0, None, None)]
)
def test_growth_points(now: float | None, before: float | None, points: float | None) -> None:
    assert rules.growth_points(now=now, before=before) == points


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_coverage_pct_is_the_exact_ratio_rounded(covered: int, target: int) -> None:
    pct = rules.coverage_pct(covered=covered, target=target)
    assert pct is not None
    assert abs(pct - 100 * covered / target) <= 0.005 + 1e-9


@given(st.integers(min_value=1, max_value=NATIONAL))
def test_population_estimates_never_exceed_the_nation(population: int) -> None:
    estimate = rules.population_estimate(population=population, national_population=NATIONAL)
    assert 0 <= estimate <= rules.INFORMAL_WORKERS_NATIONAL
