"""Coverage in the words leaders use (issue #15): a region's denominator and where it came from, coverage %,
the "1 Desa 100 Pekerja Rentan" goal and the ranking in the manner of the Paritrana Award. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# "1 Desa 100 Pekerja Rentan": every village protects at least 100 vulnerable workers (seed 004; domain rules
# section 7). A village may enter its own target instead.
VILLAGE_GOAL = 100
# BPS Sakernas, February 2025: 86.58 million informal workers (59.40 % of the employed; domain rules section 7).
INFORMAL_WORKERS_NATIONAL = 86_580_000
INFORMAL_SOURCE = "BPS Sakernas Februari 2025 (86,58 juta pekerja informal)"


class TargetKind(StrEnum):
    ENTERED = "entered"  # the region's own figure, with its source and year
    POPULATION = "population"  # province, regency: its population x the national informal share
    VILLAGES = "villages"  # district (or a region without population): 100 per village
    VILLAGE_GOAL = "village_goal"  # a village: 1 Desa 100
    NATIONAL = "national"  # the nation: BPS Sakernas


TARGET_KIND_LABELS = {
    TargetKind.ENTERED: "Dicatat wilayah",
    TargetKind.POPULATION: "Perkiraan dari jumlah penduduk",
    TargetKind.VILLAGES: "100 pekerja per desa",
    TargetKind.VILLAGE_GOAL: "1 Desa 100 Pekerja Rentan",
    TargetKind.NATIONAL: "BPS Sakernas",
}
TARGET_KIND_LABELS_EN = {
    TargetKind.ENTERED: "Entered by the region",
    TargetKind.POPULATION: "Estimated from the population",
    TargetKind.VILLAGES: "100 workers per village",
    TargetKind.VILLAGE_GOAL: "1 Village 100 Vulnerable Workers",
    TargetKind.NATIONAL: "BPS Sakernas",
}


@dataclass(frozen=True)
class Entered:
    workers: int
    source: str
    year: int


@dataclass(frozen=True)
class Target:
    workers: int
    kind: TargetKind
    source: str  # what a reader is told: which denominator, from where


def level_of(code: str) -> int:
    """0 nation (""), 1 province (36), 2 regency (36.03), 3 district (36.03.01), 4 village (36.03.01.2003)."""
    return {0: 0, 2: 1, 5: 2, 8: 3, 13: 4}.get(len(code), -1)


def target_for(
    *, level: int, entered: Entered | None, population: int | None, national_population: int, villages: int
) -> Target:
    """The denominator of coverage % for one region, and the rule that gave it:
    entered by the region (newest year) > a village's 1 Desa 100 > a province's or regency's population times
    the national share of informal workers (86.58 m of the national population) > 100 per village."""
    if entered is not None:
        return Target(entered.workers, TargetKind.ENTERED, f"{entered.source} ({entered.year})")
    if level == 0:
        return Target(INFORMAL_WORKERS_NATIONAL, TargetKind.NATIONAL, INFORMAL_SOURCE)
    if level == 4:
        return Target(VILLAGE_GOAL, TargetKind.VILLAGE_GOAL, "1 Desa 100 Pekerja Rentan")
    if level in (1, 2) and population and national_population:
        workers = population_estimate(population=population, national_population=national_population)
        share = f"{100 * INFORMAL_WORKERS_NATIONAL / national_population:.1f}".replace(".", ",")
        people = f"{population:,}".replace(",", ".")
        return Target(workers, TargetKind.POPULATION,
                      f"penduduk {people} x {share} % pekerja informal (BPS Sakernas Feb 2025; Dukcapil Des 2024)")  # fmt: skip
    return Target(VILLAGE_GOAL * villages, TargetKind.VILLAGES, f"{villages} desa x {VILLAGE_GOAL} pekerja")


def population_estimate(*, population: int, national_population: int) -> int:
    """A region's informal workers when it entered none: its share of the nation's people times the nation's
    informal workers (BPS Sakernas Feb 2025), to the whole worker (half up)."""
    return (population * INFORMAL_WORKERS_NATIONAL * 2 + national_population) // (2 * national_population)


def coverage_pct(*, covered: int, target: int | None) -> float | None:
    """Covered ÷ denominator, in percent to two decimals (half up): Kab. Gresik's 39.40 %."""
    if not target:
        return None
    hundredths = (covered * 10_000 * 2 + target) // (2 * target)
    return hundredths / 100


def goal_reached(*, covered: int, goal: int) -> bool:
    """1 Desa 100: a village reaches its goal when at least that many of its workers are covered."""
    return covered >= goal


def ranks(values: Sequence[float | None]) -> list[int | None]:
    """Competition ranking, highest first ("1, 2, 2, 4"); a region without a figure has no rank."""
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first: dict[float, int] = {}
    for i, v in enumerate(ordered):
        first.setdefault(v, i + 1)
    return [None if v is None else first[v] for v in values]


def growth_points(*, now: float | None, before: float | None) -> float | None:
    """Growth of coverage in percentage points between two months (the Paritrana coverage part ranks both)."""
    if now is None or before is None:
        return None
    return round(now - before, 2)
