"""The vocabulary of the claim rules: claim types, modes, aids, school levels, the benefit schedule (effective-
dated data), a breakdown line and the error the rules raise. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class ClaimType(StrEnum):
    JKM = "jkm"  # death not caused by work
    JKK_DEATH = "jkk_death"
    JKK_TOTAL_DISABILITY = "jkk_total_disability"
    JKK_PARTIAL_DISABILITY = "jkk_partial_disability"
    JKK_STMB = "jkk_stmb"  # temporary inability to work
    JKK_TRANSPORT = "jkk_transport"
    JKK_MEDICAL = "jkk_medical"  # medical care at the provider's bills
    JKK_HOME_CARE = "jkk_home_care"  # at most 1 year and Rp 20,000,000 in all per accident
    JKK_AIDS = "jkk_aids"  # glasses, hearing and other aids, prostheses and orthoses
    SCHOLARSHIP = "scholarship"  # yearly, per child, after a death or total disability


JKK_TYPES = frozenset({ClaimType.JKK_DEATH, ClaimType.JKK_TOTAL_DISABILITY, ClaimType.JKK_PARTIAL_DISABILITY,
                       ClaimType.JKK_STMB, ClaimType.JKK_TRANSPORT, ClaimType.JKK_MEDICAL, ClaimType.JKK_HOME_CARE,
                       ClaimType.JKK_AIDS})  # fmt: skip
DEATH_TYPES = frozenset({ClaimType.JKM, ClaimType.JKK_DEATH})


class Mode(StrEnum):
    LAND = "land"  # also river and lake
    SEA = "sea"
    AIR = "air"


class Aid(StrEnum):
    """Aids and rehabilitation (BPJS statements on PP 82/2019)."""

    GLASSES = "glasses"  # replacement glasses, at most Rp 1,000,000
    HEARING = "hearing"  # hearing aid, at most Rp 2,500,000
    OTHER = "other"  # other aids, at most Rp 2,500,000
    PROSTHESIS = "prosthesis"  # prostheses and orthoses at the rehabilitation centre's price


AID_LABELS = {Aid.GLASSES: "Kacamata pengganti", Aid.HEARING: "Alat bantu dengar", Aid.OTHER: "Alat bantu lain",
              Aid.PROSTHESIS: "Prostesis / ortosis"}  # fmt: skip
AID_LABELS_EN = {Aid.GLASSES: "Replacement glasses", Aid.HEARING: "Hearing aid", Aid.OTHER: "Other aid",
                 Aid.PROSTHESIS: "Prosthesis / orthosis"}  # fmt: skip


class Level(StrEnum):
    TK = "tk"
    SD = "sd"
    SMP = "smp"
    SMA = "sma"
    UNIVERSITY = "university"  # or training


CLAIM_TYPE_LABELS = {
    ClaimType.JKM: "JKM: santunan kematian",
    ClaimType.JKK_DEATH: "JKK: meninggal karena kecelakaan kerja",
    ClaimType.JKK_TOTAL_DISABILITY: "JKK: cacat total tetap",
    ClaimType.JKK_PARTIAL_DISABILITY: "JKK: cacat sebagian",
    ClaimType.JKK_STMB: "JKK: tidak mampu bekerja sementara (STMB)",
    ClaimType.JKK_TRANSPORT: "JKK: biaya pengangkutan",
    ClaimType.JKK_MEDICAL: "JKK: perawatan dan pengobatan",
    ClaimType.JKK_HOME_CARE: "JKK: perawatan di rumah (homecare)",
    ClaimType.JKK_AIDS: "JKK: alat bantu, protesa dan ortesa",
    ClaimType.SCHOLARSHIP: "Beasiswa pendidikan anak",
}
CLAIM_TYPE_LABELS_EN = {
    ClaimType.JKM: "JKM: death benefit", ClaimType.JKK_DEATH: "JKK: death from a work accident",
    ClaimType.JKK_TOTAL_DISABILITY: "JKK: permanent total disability", ClaimType.JKK_PARTIAL_DISABILITY:
    "JKK: partial disability", ClaimType.JKK_STMB: "JKK: temporarily unable to work (STMB)",
    ClaimType.JKK_TRANSPORT: "JKK: transport costs", ClaimType.JKK_MEDICAL: "JKK: medical care and treatment",
    ClaimType.JKK_HOME_CARE: "JKK: home care", ClaimType.JKK_AIDS: "JKK: aids, prostheses and orthoses",
    ClaimType.SCHOLARSHIP: "Children's education scholarship",
}  # fmt: skip
LEVEL_LABELS = {Level.TK: "TK", Level.SD: "SD", Level.SMP: "SMP", Level.SMA: "SMA",
                Level.UNIVERSITY: "Perguruan tinggi atau pelatihan"}  # fmt: skip
LEVEL_LABELS_EN = {Level.TK: "Kindergarten", Level.SD: "Primary school", Level.SMP: "Junior high school",
                   Level.SMA: "Senior high school", Level.UNIVERSITY: "University or training"}  # fmt: skip

MODE_LABELS = {Mode.LAND: "Darat, sungai atau danau", Mode.SEA: "Laut", Mode.AIR: "Udara"}
MODE_LABELS_EN = {Mode.LAND: "Land, river or lake", Mode.SEA: "Sea", Mode.AIR: "Air"}

# Which of the claim form's fields each type asks for (issue #14: a form per claim type with only its fields),
# from what its benefit needs (PP 82/2019 Lampiran III; claims.selectors computes it). Every JKK type may be an
# occupational disease, whose right runs from the diagnosis (domain rules section 3).
_JKK_CAUSE = frozenset({"occupational_disease", "diagnosis_date"})
CLAIM_FIELDS: dict[ClaimType, frozenset[str]] = {
    ClaimType.JKM: frozenset(),
    ClaimType.JKK_DEATH: _JKK_CAUSE,
    ClaimType.JKK_TOTAL_DISABILITY: _JKK_CAUSE,
    ClaimType.JKK_PARTIAL_DISABILITY: _JKK_CAUSE | {"part", "left_handed", "percent"},
    ClaimType.JKK_STMB: _JKK_CAUSE | {"days"},
    ClaimType.JKK_TRANSPORT: _JKK_CAUSE | {"mode", "amount"},
    ClaimType.JKK_MEDICAL: _JKK_CAUSE | {"amount"},
    ClaimType.JKK_HOME_CARE: _JKK_CAUSE | {"days", "amount"},
    ClaimType.JKK_AIDS: _JKK_CAUSE | {"aid", "amount"},
}

PP82 = "PP 82/2019 Lampiran III"


@dataclass(frozen=True)
class Schedule:
    """The benefit schedule (PP 44/2015 jo. PP 82/2019). A change of regulation is a new Schedule with a later
    `valid_from` in SCHEDULES; an event is assessed by the schedule in force on its day (`schedule_on`)."""

    valid_from: dt.date = dt.date(2019, 12, 2)  # PP 82/2019 in force
    source: str = "PP 44/2015 jo. PP 82/2019"

    jkm_lump_sum: int = 20_000_000
    jkm_periodic: int = 12_000_000  # 24 x Rp 500,000, paid at once
    jkm_funeral: int = 10_000_000
    jkk_death_multiplier: int = 48  # 60 % x 80 x income
    jkk_death_minimum: int = 20_000_000
    jkk_funeral: int = 10_000_000
    jkk_periodic: int = 12_000_000
    total_disability_multiplier: int = 56  # 70 % x 80 x income
    partial_disability_multiplier: int = 80  # percentage (disability table) x 80 x income
    stmb_full_days: int = 365  # decision: days 1-365 at 100 %
    stmb_later_percent: int = 50
    stmb_days_per_month: int = 30  # decision: per day = income / 30
    transport_caps: Mapping[Mode, int] = field(
        default_factory=lambda: {Mode.LAND: 5_000_000, Mode.SEA: 2_000_000, Mode.AIR: 10_000_000}
    )
    scholarship: Mapping[Level, tuple[int, int]] = field(  # amount per year, most years
        default_factory=lambda: {Level.TK: (1_500_000, 2), Level.SD: (1_500_000, 6), Level.SMP: (2_000_000, 3),
                                 Level.SMA: (3_000_000, 3), Level.UNIVERSITY: (12_000_000, 5)}
    )  # fmt: skip
    scholarship_tk_sd_years: int = 8
    scholarship_children: int = 2
    scholarship_age_limit: int = 23
    jkm_scholarship_min_paid_months: int = 36
    jkk_right_years: int = 5  # PP 44/2015 Art. 26 as amended by PP 82/2019 (2 years before)
    report_hours: int = 48  # 2 x 24 hours
    partial_disability_cap_percent: int = 70  # decision: several parts at most 70 % (56 x income)
    home_care_days: int = 365  # at most 1 year ...
    home_care_cap: int = 20_000_000  # ... and Rp 20,000,000 in all per accident
    aid_caps: Mapping[Aid, int | None] = field(  # None: the rehabilitation centre's price
        default_factory=lambda: {Aid.GLASSES: 1_000_000, Aid.HEARING: 2_500_000, Aid.OTHER: 2_500_000,
                                 Aid.PROSTHESIS: None}
    )  # fmt: skip
    aids_once: frozenset[Aid] = frozenset(
        {Aid.GLASSES, Aid.HEARING, Aid.OTHER}
    )  # once per worker and accident


SCHEDULE = Schedule()
SCHEDULES: tuple[Schedule, ...] = (SCHEDULE,)  # oldest first


def schedule_on(day: dt.date, *, schedules: tuple[Schedule, ...] = SCHEDULES) -> Schedule:
    """The schedule in force on a day; an event before the oldest one Jaring ships is assessed by that one."""
    chosen = schedules[0]
    for schedule in schedules:
        if schedule.valid_from <= day:
            chosen = schedule
    return chosen


@dataclass(frozen=True)
class Line:
    item: str
    amount: int
    basis: str


def _rupiah(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class RuleInputError(ValueError):
    """An input the rules cannot work with; `code` is the English error code the caller shows."""

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field


def total(lines: list[Line]) -> int:
    return sum(line.amount for line in lines)
