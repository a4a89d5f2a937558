"""Who a funding program may pay for, in which order, and what a plan costs (domain rules sections 1 and 2).
Pure: imports no Django. The bulk allocation (services.allocation_run) applies the same rules to a million
workers at once with Polars; its tests check it against these functions.

Sources: sponsorship is temporary "until the worker can pay independently" and must not overlap ("agar tidak
tumpang tindih, ada yang dapat ada yang tidak", seed 002); budgets are arranged by level (village, regency,
province, CSR, donors). The precedence order is a setting (decision in docs/decisions/0007)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from jaring.contributions.rules import PayerType
from jaring.core.types import Period

# Issue #5: "default village, regency, province, national, CSR, donor"; BAZNAS (zakat) gives like a donor.
DEFAULT_PRECEDENCE: tuple[PayerType, ...] = (
    PayerType.APBDES,
    PayerType.APBD_KABKOTA,
    PayerType.APBD_PROVINSI,
    PayerType.APBN,
    PayerType.CSR,
    PayerType.DONOR,
    PayerType.BAZNAS,
)
SPONSOR_TYPES = DEFAULT_PRECEDENCE  # a worker paying for themselves is not a sponsor
ENDING_NOTICE_DAYS = 60  # issue #5: "workers whose funded months end within 60 days"
COVERED_LOOKBACK_MONTHS = 3  # "not yet covered": no month paid by the worker or an agent in the 3 before
DONATION_MONTHS = (6, 12)


class Priority(StrEnum):
    POOREST = "poorest"  # lowest DTSEN decile first (unknown last), then earliest registered
    EARLIEST = "earliest"  # earliest registered first


PRIORITY_LABELS = {Priority.POOREST: "Termiskin dulu (desil DTSEN), lalu yang lebih dulu terdaftar",
                   Priority.EARLIEST: "Yang lebih dulu terdaftar"}  # fmt: skip


class Outcome(StrEnum):
    ASSIGNED = "assigned"
    WAITLISTED = "waitlisted"
    EXCLUDED = "excluded"


OUTCOME_LABELS = {
    Outcome.ASSIGNED: "Didanai",
    Outcome.WAITLISTED: "Daftar tunggu",
    Outcome.EXCLUDED: "Tidak memenuhi syarat",
}
OUTCOME_LABELS_EN = {
    Outcome.ASSIGNED: "Funded",
    Outcome.WAITLISTED: "Waiting list",
    Outcome.EXCLUDED: "Not eligible",
}


class Reason(StrEnum):
    """Why a worker in a program's region was not funded by it. Checked in this order."""

    NO_MEMBERSHIP = "not_member"  # never registered with BPJS (no card): cannot be billed
    MEMBERSHIP_ENDED = "membership_ended"  # more than 3 unpaid months (Perdir 22/2022): re-activate first
    OCCUPATION = "occupation_not_eligible"
    ECOSYSTEM = "ecosystem_not_eligible"
    BIRTH_DATE_UNKNOWN = "birth_date_unknown"
    AGE = "age_outside_range"
    DECILE_UNKNOWN = "decile_unknown"
    DECILE = "decile_above_max"
    ALREADY_COVERED = "already_covered"
    ALREADY_ASSIGNED = "already_assigned"  # this program already funds every month it would fund
    FUNDED_ELSEWHERE = "funded_by_other_program"  # another program funds every month
    BUDGET = "budget_exhausted"  # waiting list
    MAX_WORKERS = "max_workers_reached"  # waiting list


REASON_LABELS = {
    Reason.NO_MEMBERSHIP: "Belum memiliki kartu kepesertaan (KPJ)",
    Reason.MEMBERSHIP_ENDED: "Kepesertaan berakhir (lebih dari 3 bulan menunggak): aktifkan kembali dulu",
    Reason.OCCUPATION: "Pekerjaan tidak termasuk sasaran program",
    Reason.ECOSYSTEM: "Ekosistem tidak termasuk sasaran program",
    Reason.BIRTH_DATE_UNKNOWN: "Tanggal lahir tidak diketahui (syarat usia tidak bisa diperiksa)",
    Reason.AGE: "Usia di luar batas program",
    Reason.DECILE_UNKNOWN: "Desil kemiskinan tidak diketahui",
    Reason.DECILE: "Desil kemiskinan di atas batas program",
    Reason.ALREADY_COVERED: "Sudah terlindungi: membayar iuran sendiri dalam 3 bulan terakhir",
    Reason.ALREADY_ASSIGNED: "Sudah didanai program ini",
    Reason.FUNDED_ELSEWHERE: "Semua bulannya sudah didanai program lain",
    Reason.BUDGET: "Anggaran habis (daftar tunggu)",
    Reason.MAX_WORKERS: "Kuota jumlah pekerja penuh (daftar tunggu)",
}


REASON_LABELS_EN = {
    Reason.NO_MEMBERSHIP: "no membership card (KPJ)",
    Reason.MEMBERSHIP_ENDED: "membership ended after more than 3 unpaid months: re-activate it first",
    Reason.OCCUPATION: "occupation not targeted",
    Reason.ECOSYSTEM: "ecosystem not targeted",
    Reason.BIRTH_DATE_UNKNOWN: "birth date unknown (age condition)",
    Reason.AGE: "age outside the range",
    Reason.DECILE_UNKNOWN: "poverty decile unknown",
    Reason.DECILE: "poverty decile above the maximum",
    Reason.ALREADY_COVERED: "already paying their own way",
    Reason.ALREADY_ASSIGNED: "already funded by this program",
    Reason.FUNDED_ELSEWHERE: "every month funded by another program",
    Reason.BUDGET: "budget exhausted (waiting list)",
    Reason.MAX_WORKERS: "worker quota full (waiting list)",
}


@dataclass(frozen=True)
class NobodyFunded:
    """Why a run funded nobody new: a code, a sentence for the page (Indonesian) and one in English."""

    code: str
    message: str
    message_en: str


def nobody_funded(
    *,
    region_workers: int,
    assigned: int,
    excluded: dict[str, int],
    waitlisted: dict[str, int],
    budget_left: int,
) -> NobodyFunded | None:
    """None when the run funded someone; otherwise the reason in words, naming how many workers each cause
    kept out (issue #12: no silent zero)."""
    if assigned:
        return None
    if region_workers == 0:
        return NobodyFunded(
            "NO_WORKERS_IN_REGION",
            "Tidak ada yang didanai: belum ada pekerja terdaftar di wilayah program ini. Daftarkan pekerja dulu "
            "(unggah daftar atau formulir).",
            "Nobody was funded: no worker is registered in the program's regions yet.",
        )
    counts = {**excluded, **waitlisted}
    if set(counts) == {Reason.ALREADY_ASSIGNED.value}:
        return NobodyFunded(
            "ALREADY_FUNDED",
            f"Tidak ada yang baru: {region_workers:,} pekerja di wilayah ini sudah didanai program ini.",
            f"Nobody new: the {region_workers:,} workers of the program's regions are already funded by it.",
        )
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    parts = [f"{n:,} {REASON_LABELS.get(Reason(k), k).lower()}" for k, n in order]
    parts_en = [f"{n:,} {REASON_LABELS_EN.get(Reason(k), k)}" for k, n in order]
    code = "BUDGET_EXHAUSTED" if budget_left <= 0 or Reason.BUDGET.value in waitlisted else "ALL_EXCLUDED"
    return NobodyFunded(
        code,
        f"Tidak ada yang didanai dari {region_workers:,} pekerja di wilayah program: "
        + "; ".join(parts)
        + ".",
        f"Nobody was funded of the {region_workers:,} workers in the program's regions: "
        + "; ".join(parts_en)
        + ".",
    )


@dataclass(frozen=True)
class Eligibility:
    """A program's conditions; an empty set or None means "any"."""

    occupations: frozenset[str] = frozenset()
    ecosystems: frozenset[str] = frozenset()
    age_min: int | None = None
    age_max: int | None = None
    decile_max: int | None = None
    only_uncovered: bool = False


@dataclass(frozen=True)
class Candidate:
    occupation: str
    ecosystem: str
    birth_date: dt.date | None
    decile: int | None
    pays_own_way: bool = False  # paid a month themselves (or through an agent) in the 3 months before


def age_at(birth: dt.date, period: Period) -> int:
    """Whole years on the first day of the month."""
    day = period.first_day()
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def exclusion_reason(*, rules: Eligibility, worker: Candidate, first_period: Period) -> Reason | None:
    """The first condition the worker fails, or None when the program may fund them."""
    if rules.occupations and worker.occupation not in rules.occupations:
        return Reason.OCCUPATION
    if rules.ecosystems and worker.ecosystem not in rules.ecosystems:
        return Reason.ECOSYSTEM
    if rules.age_min is not None or rules.age_max is not None:
        if worker.birth_date is None:
            return Reason.BIRTH_DATE_UNKNOWN
        age = age_at(worker.birth_date, first_period)
        if (rules.age_min is not None and age < rules.age_min) or (
            rules.age_max is not None and age > rules.age_max
        ):
            return Reason.AGE
    if rules.decile_max is not None:
        if worker.decile is None:
            return Reason.DECILE_UNKNOWN
        if worker.decile > rules.decile_max:
            return Reason.DECILE
    if rules.only_uncovered and worker.pays_own_way:
        return Reason.ALREADY_COVERED
    return None


def precedence_rank(payer_type: PayerType | str, order: Sequence[str]) -> int:
    """Lower goes first when two programs want the same worker-month. A type missing from the setting goes
    last."""
    value = payer_type.value if isinstance(payer_type, PayerType) else payer_type
    return order.index(value) if value in order else len(order)


def precedence_parse(text: str) -> tuple[str, ...]:
    """The setting, comma separated: every sponsor type once."""
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    known = {p.value for p in SPONSOR_TYPES}
    unknown = [p for p in parts if p not in known]
    if unknown or len(set(parts)) != len(parts):
        raise ValueError(
            f"FUNDING_PRECEDENCE: unknown or repeated payer types {unknown or parts}; use each of "
            f"{', '.join(sorted(known))} once"
        )
    return parts


def priority_key(*, priority: Priority, decile: int | None, registered: int) -> tuple[int, int]:
    """Sort key: who a program funds first. `registered` orders registration (the worker's id)."""
    if priority == Priority.POOREST:
        return (decile if decile is not None else 11, registered)
    return (0, registered)


def fits(
    *, costs_in_order: Iterable[int], budget_left: int, max_workers_left: int | None
) -> list[Reason | None]:
    """Walk a program's ranked candidates: each is funded (None) while the running total of everyone so far stays
    within the budget and their count within the quota. Costs are positive, so from the first one who waits
    everyone after waits too: nobody jumps the queue because they are cheaper."""
    out: list[Reason | None] = []
    total = 0
    for count, cost in enumerate(costs_in_order, start=1):
        total += cost
        if max_workers_left is not None and count > max_workers_left:
            out.append(Reason.MAX_WORKERS)
        elif total > budget_left:
            out.append(Reason.BUDGET)
        else:
            out.append(None)
    return out


def month_runs(indexes: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive month indexes as (first, last) runs: a worker funded Jan-Mar and Jul-Dec gets two."""
    runs: list[tuple[int, int]] = []
    for i in sorted(set(indexes)):
        if runs and i == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


@dataclass(frozen=True)
class Plan:
    workers: int
    months: int
    cost_per_worker: int  # the sum of the months' contributions
    total: int


def plan_cost(*, month_costs: Sequence[int], workers: int) -> Plan:
    """What covering `workers` for these months costs: each month priced by its own rules (a discount may
    end in the middle of a plan)."""
    if workers < 0:
        raise ValueError("workers must not be negative")
    per_worker = sum(month_costs)
    return Plan(
        workers=workers, months=len(month_costs), cost_per_worker=per_worker, total=per_worker * workers
    )


def workers_affordable(*, budget: int, cost_per_worker: int) -> int:
    """How many workers a budget covers for the whole plan (never more than it can pay for)."""
    if cost_per_worker <= 0:
        raise ValueError("cost_per_worker must be positive")
    return max(0, budget) // cost_per_worker


def ending_soon(*, last_period: Period, today: dt.date, days: int = ENDING_NOTICE_DAYS) -> bool:
    """The funded months end (their last day falls) within `days` from today, and have not ended yet."""
    last_day = last_period.plus(1).first_day() - dt.timedelta(days=1)
    return today <= last_day <= today + dt.timedelta(days=days)


INVITATION_TEXT = (
    "Bapak/Ibu {name}, perlindungan BPJS Ketenagakerjaan Anda yang dibayarkan oleh {sponsor} berakhir pada "
    "bulan {last}. Agar tetap terlindungi dari risiko kecelakaan kerja dan kematian, lanjutkan sebagai peserta "
    "mandiri mulai bulan {next}: iuran mulai Rp {amount} per bulan, dapat dibayar melalui agen PERISAI, "
    "bank atau kantor cabang terdekat dengan nomor kartu (KPJ) Anda."
)


MONTH_NAMES = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
               "Oktober", "November", "Desember")  # fmt: skip


def month_name(period: Period) -> str:
    return f"{MONTH_NAMES[period.month - 1]} {period.year}"


def invitation(*, name: str, sponsor: str, last_period: Period, monthly: int) -> str:
    """The message that invites a worker to continue as mandiri when their sponsorship ends."""
    return INVITATION_TEXT.format(
        name=name, sponsor=sponsor, last=month_name(last_period), next=month_name(last_period.plus(1)),
        amount=f"{monthly:,}".replace(",", "."),
    )  # fmt: skip
