"""JKK and JKM benefits and who may claim them (domain rules section 3). Pure: the schedule arrives as data
(`Schedule`, defaults from the regulation), never as literals in the computations; every line of a breakdown
cites its basis.

Sources: PP 44/2015 jo. PP 82/2019 (Lampiran III: JKK benefits incl. home care, aids and the disability table;
JKM Rp 42 million; scholarships), PP 44/2015 Art. 26 as amended by PP 82/2019 (the JKK right lapses 5 years
after the accident, or after the diagnosis of an occupational disease), reporting within 2 x 24 hours; Jaring
decisions where the sources are silent: STMB paid per day at income / 30 (days 1-365 at 100 %, from day 366 at
50 %), coverage only when the event's month was paid on or before the event date, several body parts add up to
at most 70 % (56 x income), home care bills beyond the year paid pro rata (docs/decisions/0012)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jaring.claims.rules.disability import (
    BodyPart,
    Injury,
    injury_parse,
    partial_disability_benefit,
    partial_disability_lines,
)
from jaring.claims.rules.documents import (
    DOCUMENT_TYPES,
    NEXT_STEP,
    REQUIRED_DOCUMENTS,
    document_kind,
    missing_documents,
)
from jaring.claims.rules.schedule import (
    AID_LABELS,
    CLAIM_FIELDS,
    CLAIM_TYPE_LABELS,
    DEATH_TYPES,
    JKK_TYPES,
    LEVEL_LABELS,
    MODE_LABELS,
    PP82,
    SCHEDULE,
    SCHEDULES,
    Aid,
    ClaimType,
    Level,
    Line,
    Mode,
    RuleInputError,
    Schedule,
    _rupiah,
    schedule_on,
    total,
)

__all__ = [
    "AID_LABELS", "CLAIM_FIELDS", "CLAIM_TYPE_LABELS", "MODE_LABELS", "LEVEL_LABELS", "DEATH_TYPES", "DOCUMENT_TYPES", "JKK_TYPES", "NEXT_STEP", "PP82", "REFUSAL_TEXT",
    "REFUSAL_TEXT_EN", "FLAG_TEXT", "REQUIRED_DOCUMENTS", "SCHEDULE", "SCHEDULES", "SCHOLARSHIP_TRIGGERS", "Aid",
    "BodyPart", "Child", "ClaimType", "Facts", "Flag", "Injury", "Level", "Line", "Mode", "Refusal",
    "RuleInputError", "Schedule", "aid_benefit", "document_kind", "eligibility", "home_care_benefit",
    "injury_parse", "jkk_death_benefit", "jkm_benefit", "medical_benefit", "missing_documents",
    "partial_disability_benefit", "partial_disability_lines", "schedule_on", "scholarship_benefit",
    "scholarship_children_eligible", "scholarship_eligibility", "scholarship_total_per_child", "stmb_benefit",
    "total", "total_disability_benefit", "transport_benefit",
]  # fmt: skip


def jkm_benefit(*, schedule: Schedule = SCHEDULE) -> list[Line]:
    return [
        Line("Santunan sekaligus", schedule.jkm_lump_sum, "PP 82/2019: JKM santunan sekaligus"),
        Line("Santunan berkala (24 x Rp 500.000, dibayar sekaligus)", schedule.jkm_periodic,
             "PP 82/2019: JKM santunan berkala"),
        Line("Biaya pemakaman", schedule.jkm_funeral, "PP 82/2019: JKM biaya pemakaman"),
    ]  # fmt: skip


def jkk_death_benefit(*, income: int, schedule: Schedule = SCHEDULE) -> list[Line]:
    lump = max(schedule.jkk_death_multiplier * income, schedule.jkk_death_minimum)
    basis = f"{PP82}: {schedule.jkk_death_multiplier} x upah (60 % x 80 x upah), paling sedikit Rp 20.000.000"
    return [
        Line("Santunan kematian karena kecelakaan kerja", lump, basis),
        Line("Biaya pemakaman", schedule.jkk_funeral, f"{PP82}: biaya pemakaman"),
        Line("Santunan berkala (dibayar sekaligus)", schedule.jkk_periodic, f"{PP82}: santunan berkala"),
    ]


def total_disability_benefit(*, income: int, schedule: Schedule = SCHEDULE) -> list[Line]:
    return [
        Line("Santunan cacat total tetap", schedule.total_disability_multiplier * income,
             f"{PP82}: {schedule.total_disability_multiplier} x upah (70 % x 80 x upah)"),
        Line("Santunan berkala (dibayar sekaligus)", schedule.jkk_periodic, f"{PP82}: santunan berkala"),
    ]  # fmt: skip


def home_care_benefit(
    *, amount: int, days: int, used_days: int = 0, used_amount: int = 0, schedule: Schedule = SCHEDULE
) -> list[Line]:
    """Home care (PP 82/2019): the bills, for at most 1 year and at most Rp 20,000,000 in all per accident.
    `used_*` are what earlier home-care claims of the same accident took. Bills for more days than the year
    has left are paid pro rata to the days left (decision 0012); the caps are lines of their own."""
    if amount <= 0 or days <= 0:
        raise ValueError("amount and days must be positive")
    lines = [Line(f"Perawatan di rumah {days} hari sesuai tagihan", amount,
                  f"{PP82}: perawatan di rumah paling lama 1 tahun")]  # fmt: skip
    days_left = max(schedule.home_care_days - used_days, 0)
    paid = amount
    if days > days_left:
        paid = amount * days_left // days
        lines.append(Line(f"Batas 1 tahun: {days_left} dari {days} hari masih ditanggung", paid - amount,
                          f"{PP82}: perawatan di rumah paling lama {schedule.home_care_days} hari (keputusan: "
                          "tagihan dibagi rata per hari)"))  # fmt: skip
    money_left = max(schedule.home_care_cap - used_amount, 0)
    if paid > money_left:
        lines.append(Line(f"Batas Rp {schedule.home_care_cap:,} per kecelakaan (sisa Rp {money_left:,})".replace(",", "."),
                          money_left - paid, f"{PP82}: perawatan di rumah paling banyak Rp "
                          f"{schedule.home_care_cap:,}".replace(",", ".")))  # fmt: skip
    return lines


def aid_benefit(*, aid: Aid, amount: int, schedule: Schedule = SCHEDULE) -> list[Line]:
    """Aids and rehabilitation: glasses at most Rp 1,000,000, hearing and other aids at most Rp 2,500,000,
    prostheses and orthoses at the rehabilitation centre's price; the cap is its own line."""
    if amount <= 0:
        raise ValueError("amount must be positive")
    cap = schedule.aid_caps[aid]
    basis = (f"{PP82}: {AID_LABELS[aid].lower()} paling banyak Rp {cap:,}".replace(",", ".") if cap is not None
             else f"{PP82}: {AID_LABELS[aid].lower()} sesuai harga pusat rehabilitasi")  # fmt: skip
    lines = [Line(f"{AID_LABELS[aid]} sesuai kuitansi", amount, basis)]
    if cap is not None and amount > cap:
        lines.append(
            Line(f"Batas {AID_LABELS[aid].lower()} Rp {cap:,}".replace(",", "."), cap - amount, basis)
        )
    return lines


def stmb_benefit(*, income: int, days: int, schedule: Schedule = SCHEDULE) -> list[Line]:
    """Temporary inability to work: per day income / 30; days 1-365 in full, later days at 50 %."""
    if days < 0:
        raise ValueError("days must not be negative")
    daily = Decimal(income) / schedule.stmb_days_per_month
    full = min(days, schedule.stmb_full_days)
    later = days - full
    lines = [Line(f"STMB {full} hari x 100 % x upah/{schedule.stmb_days_per_month}", _rupiah(daily * full),
                  f"{PP82}: STMB 100 % upah 12 bulan pertama (keputusan: per hari = upah/30)")]  # fmt: skip
    if later:
        lines.append(Line(
            f"STMB {later} hari x {schedule.stmb_later_percent} % x upah/{schedule.stmb_days_per_month}",
            _rupiah(daily * later * schedule.stmb_later_percent / 100),
            f"{PP82}: STMB {schedule.stmb_later_percent} % upah sesudah 12 bulan sampai sembuh",
        ))  # fmt: skip
    return lines


def transport_benefit(*, mode: Mode, amount: int, schedule: Schedule = SCHEDULE) -> list[Line]:
    cap = schedule.transport_caps[mode]
    paid = min(amount, cap)
    note = " (dibatasi)" if amount > cap else ""
    return [Line(f"Biaya transportasi {mode.value}{note}", paid,
                 f"{PP82}: transportasi {mode.value} paling banyak Rp {cap:,}".replace(",", "."))]  # fmt: skip


def medical_benefit(*, amount: int) -> list[Line]:
    return [Line("Perawatan dan pengobatan sesuai tagihan fasilitas kesehatan", amount,
                 f"{PP82}: sesuai kebutuhan medis, tanpa batas")]  # fmt: skip


def scholarship_benefit(*, level: Level, schedule: Schedule = SCHEDULE) -> list[Line]:
    amount, years = schedule.scholarship[level]
    return [Line(f"Beasiswa {level.value.upper()} (per tahun, paling lama {years} tahun)", amount,
                 "PP 82/2019: beasiswa pendidikan anak")]  # fmt: skip


class Refusal(StrEnum):
    """Why a claim cannot be paid. Flags (accepted, noted) are separate."""

    NOT_PAID_BEFORE_EVENT = "contribution_not_paid_before_event"
    JKK_RIGHT_LAPSED = "jkk_right_lapsed"
    ALREADY_DEAD = "worker_already_dead"
    EVENT_AFTER_DEATH = "event_after_death"
    SCHOLARSHIP_TOO_FEW_MONTHS = "scholarship_needs_36_paid_months"
    SCHOLARSHIP_NO_TRIGGER = "scholarship_needs_death_or_total_disability"
    TOO_MANY_CHILDREN = "at_most_two_children"
    CHILD_TOO_OLD = "child_over_age_limit"
    CHILD_MARRIED_OR_WORKING = "child_married_or_working"
    SCHOLARSHIP_YEARS_USED = "scholarship_years_used"
    EVENT_IN_FUTURE = "event_in_future"
    AID_ALREADY_GIVEN = "aid_once_per_accident"
    HOME_CARE_USED_UP = "home_care_used_up"


class Flag(StrEnum):
    LATE_REPORT = "reported_after_48_hours"


REFUSAL_TEXT = {
    Refusal.NOT_PAID_BEFORE_EVENT: "Iuran bulan kejadian belum dibayar pada atau sebelum tanggal kejadian.",
    Refusal.JKK_RIGHT_LAPSED: "Hak atas manfaat JKK gugur 5 tahun sesudah kecelakaan atau sesudah diagnosis penyakit "
    "akibat kerja (PP 44/2015 Pasal 26 diubah PP 82/2019).",
    Refusal.ALREADY_DEAD: "Kematian pekerja ini sudah tercatat; klaim kematian kedua ditolak.",
    Refusal.EVENT_AFTER_DEATH: "Kejadian sesudah tanggal kematian yang tercatat.",
    Refusal.SCHOLARSHIP_TOO_FEW_MONTHS: "Beasiswa JKM memerlukan masa iur paling sedikit 36 bulan.",
    Refusal.SCHOLARSHIP_NO_TRIGGER: "Beasiswa hanya sesudah kematian atau cacat total tetap.",
    Refusal.TOO_MANY_CHILDREN: "Beasiswa paling banyak untuk 2 anak.",
    Refusal.CHILD_TOO_OLD: "Beasiswa berakhir pada usia 23 tahun.",
    Refusal.CHILD_MARRIED_OR_WORKING: "Beasiswa berakhir bila anak menikah atau bekerja.",
    Refusal.SCHOLARSHIP_YEARS_USED: "Masa beasiswa untuk jenjang ini sudah habis.",
    Refusal.EVENT_IN_FUTURE: "Tanggal kejadian di masa depan.",
    Refusal.AID_ALREADY_GIVEN: "Alat bantu jenis ini sudah diklaim untuk kecelakaan ini (sekali per kecelakaan).",
    Refusal.HOME_CARE_USED_UP: "Perawatan di rumah untuk kecelakaan ini sudah mencapai 1 tahun atau Rp 20.000.000.",
}
REFUSAL_TEXT_EN = {
    Refusal.NOT_PAID_BEFORE_EVENT: "The event's month was not paid on or before the event date.",
    Refusal.JKK_RIGHT_LAPSED: "The right to JKK benefits lapses 5 years after the accident or after an occupational "
    "disease's diagnosis (PP 44/2015 Art. 26 as amended by PP 82/2019).",
    Refusal.ALREADY_DEAD: "This worker's death is already recorded; a second death claim is refused.",
    Refusal.EVENT_AFTER_DEATH: "The event is after the recorded date of death.",
    Refusal.SCHOLARSHIP_TOO_FEW_MONTHS: "A JKM scholarship needs at least 36 paid months.",
    Refusal.SCHOLARSHIP_NO_TRIGGER: "Scholarships follow only a death or a total permanent disability.",
    Refusal.TOO_MANY_CHILDREN: "Scholarships are for at most 2 children.",
    Refusal.CHILD_TOO_OLD: "Scholarships end at the age of 23.",
    Refusal.CHILD_MARRIED_OR_WORKING: "Scholarships end when the child marries or works.",
    Refusal.SCHOLARSHIP_YEARS_USED: "The scholarship years for this level are used up.",
    Refusal.EVENT_IN_FUTURE: "The event date is in the future.",
    Refusal.AID_ALREADY_GIVEN: "This kind of aid was already claimed for this accident (once per accident).",
    Refusal.HOME_CARE_USED_UP: "Home care for this accident has reached 1 year or Rp 20,000,000.",
}
FLAG_TEXT = {Flag.LATE_REPORT: "Dilaporkan lebih dari 2 x 24 jam sesudah kejadian (diterima, dicatat)."}


@dataclass(frozen=True)
class Facts:
    """What the ledger and the claims history say about the worker, gathered by a selector."""

    event_month_paid_on_time: (
        bool  # contributions.selectors.contribution_paid(worker, month, on_or_before=event)
    )
    paid_months: int  # masa iur: months paid on or before the event
    death_date: dt.date | None = None  # a recorded death (JKM or JKK death)
    # Earlier claims of the same accident (same worker and event day), not rejected:
    aids_claimed: frozenset[str] = frozenset()  # kinds of aid
    home_care_days: int = 0
    home_care_paid: int = 0


def eligibility(
    *, claim: ClaimType, event: dt.date, reported: dt.datetime | None, today: dt.date, facts: Facts,
    diagnosis: dt.date | None = None, aid: Aid | None = None, schedule: Schedule = SCHEDULE,
) -> tuple[list[Refusal], list[Flag]]:  # fmt: skip
    """Refusals (the claim cannot be paid) and flags (paid, but noted) for a claim of a worker's own event.
    The JKK right runs from the accident, or for an occupational disease from its `diagnosis`.
    Scholarships are checked by `scholarship_eligibility`."""
    refusals: list[Refusal] = []
    flags: list[Flag] = []
    if event > today:
        refusals.append(Refusal.EVENT_IN_FUTURE)
    if facts.death_date is not None:
        if claim in DEATH_TYPES:
            refusals.append(Refusal.ALREADY_DEAD)
        elif event > facts.death_date:
            refusals.append(Refusal.EVENT_AFTER_DEATH)
    if not facts.event_month_paid_on_time:
        refusals.append(Refusal.NOT_PAID_BEFORE_EVENT)
    if claim in JKK_TYPES and today > _add_years(diagnosis or event, schedule.jkk_right_years):
        refusals.append(Refusal.JKK_RIGHT_LAPSED)
    if claim == ClaimType.JKK_AIDS and aid in schedule.aids_once and aid.value in facts.aids_claimed:
        refusals.append(Refusal.AID_ALREADY_GIVEN)
    if claim == ClaimType.JKK_HOME_CARE and (facts.home_care_days >= schedule.home_care_days
                                             or facts.home_care_paid >= schedule.home_care_cap):  # fmt: skip
        refusals.append(Refusal.HOME_CARE_USED_UP)
    if reported is not None:
        start = dt.datetime.combine(event, dt.time.min, tzinfo=reported.tzinfo)
        if reported - start > dt.timedelta(hours=schedule.report_hours + 24):  # the whole event day counts
            flags.append(Flag.LATE_REPORT)
    return refusals, flags


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Child:
    birth_date: dt.date
    married_or_working: bool = False


def scholarship_eligibility(
    *, trigger: ClaimType, paid_months: int, children: list[Child], child_index: int, level: Level,
    years_claimed_at_level: int, years_claimed_tk_sd: int, today: dt.date, schedule: Schedule = SCHEDULE,
) -> list[Refusal]:  # fmt: skip
    """A yearly scholarship claim for one child (0-based index in birth order) after `trigger`."""
    refusals: list[Refusal] = []
    if trigger not in SCHOLARSHIP_TRIGGERS:
        refusals.append(Refusal.SCHOLARSHIP_NO_TRIGGER)
    if trigger == ClaimType.JKM and paid_months < schedule.jkm_scholarship_min_paid_months:
        refusals.append(Refusal.SCHOLARSHIP_TOO_FEW_MONTHS)  # JKK scholarships need no minimum
    if child_index >= schedule.scholarship_children:
        refusals.append(Refusal.TOO_MANY_CHILDREN)
    child = children[child_index] if child_index < len(children) else None
    if child is not None:
        age = today.year - child.birth_date.year - ((today.month, today.day) < (child.birth_date.month,
                                                                                 child.birth_date.day))  # fmt: skip
        if age >= schedule.scholarship_age_limit:
            refusals.append(Refusal.CHILD_TOO_OLD)
        if child.married_or_working:
            refusals.append(Refusal.CHILD_MARRIED_OR_WORKING)
    _, most = schedule.scholarship[level]
    tk_sd_full = level in (Level.TK, Level.SD) and years_claimed_tk_sd >= schedule.scholarship_tk_sd_years
    if years_claimed_at_level >= most or tk_sd_full:
        refusals.append(Refusal.SCHOLARSHIP_YEARS_USED)
    return refusals


SCHOLARSHIP_TRIGGERS = frozenset({ClaimType.JKM, ClaimType.JKK_DEATH, ClaimType.JKK_TOTAL_DISABILITY})


def scholarship_children_eligible(
    *, trigger: ClaimType, paid_months: int, children: int, schedule: Schedule = SCHEDULE
) -> tuple[int, Refusal | None]:
    """How many of a family's children may claim scholarships after `trigger` (PP 82/2019: at most 2; a JKM
    scholarship needs 36 paid months, a JKK one none), and why none may."""
    if trigger not in SCHOLARSHIP_TRIGGERS:
        return 0, Refusal.SCHOLARSHIP_NO_TRIGGER
    if trigger == ClaimType.JKM and paid_months < schedule.jkm_scholarship_min_paid_months:
        return 0, Refusal.SCHOLARSHIP_TOO_FEW_MONTHS
    return min(max(children, 0), schedule.scholarship_children), None


def scholarship_total_per_child(*, schedule: Schedule = SCHEDULE) -> int:
    """The most one child can receive: TK+SD together at most 8 years (TK at most 2)."""
    tk_amount, tk_years = schedule.scholarship[Level.TK]
    sd_amount, sd_years = schedule.scholarship[Level.SD]
    tk_sd = tk_amount * tk_years + sd_amount * min(sd_years, schedule.scholarship_tk_sd_years - tk_years)
    rest = sum(a * y for lvl, (a, y) in schedule.scholarship.items() if lvl not in (Level.TK, Level.SD))
    return tk_sd + rest
