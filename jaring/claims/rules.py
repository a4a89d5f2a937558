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
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from jaring.core.errors import ErrorCode


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


class Level(StrEnum):
    TK = "tk"
    SD = "sd"
    SMP = "smp"
    SMA = "sma"
    UNIVERSITY = "university"  # or training


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


class RuleInputError(ValueError):
    """An input the rules cannot work with; `code` is the English error code the caller shows."""

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class BodyPart:
    """One row of the disability table (PP 82/2019 Lampiran III, cacat sebagian), kept as data. A row is one
    of three kinds: a part lost (its percentage, times the share of its function lost), a range the doctor fixes
    a percentage within (`percent_max`), or a rate per measured step (`step` of `unit`, e.g. 6 % per 10 dB of
    hearing lost, at most `percent_max`)."""

    code: str
    part: str
    percent: Decimal  # of 80 x income, for the whole part lost (the lower end of a range; the rate per step)
    mirror: str = ""  # the same part on the other side: a left-handed worker's hands are valued swapped
    source: str = ""
    percent_max: Decimal | None = None  # a range's upper end, or a per-step row's most
    step: Decimal | None = None  # per-step rows: the size of one step in `unit`
    unit: str = ""  # "dB", "%"

    @property
    def kind(self) -> str:
        return "step" if self.step else "range" if self.percent_max is not None else "part"


@dataclass(frozen=True)
class Injury:
    code: str
    function_lost: Decimal = Decimal(100)  # % of the part's function lost; 100 = lost entirely (anatomical)
    value: Decimal | None = None  # a range row: the doctor's percentage; a per-step row: the loss measured


def injury_parse(text: str) -> Injury:
    """`CODE`, `CODE:FUNCTION` (the percentage of the part's function lost, from the doctor's report) or
    `CODE=VALUE` (a range row: the doctor's percentage; a per-step row: the loss measured, e.g. 30 dB)."""
    head, _, value_text = text.strip().partition("=")
    code, _, function = head.strip().partition(":")
    if not code.strip():
        raise RuleInputError("Bagian tubuh kosong.", code=ErrorCode.PART_MISSING, field="part")
    try:
        lost = Decimal(function.strip().replace(",", ".")) if function.strip() else Decimal(100)
    except ArithmeticError:
        raise RuleInputError(f"Persentase fungsi '{function}' bukan angka.", code=ErrorCode.PART_FUNCTION_INVALID,
                             field="part") from None  # fmt: skip
    try:
        value = Decimal(value_text.strip().replace(",", ".")) if value_text.strip() else None
    except ArithmeticError:
        raise RuleInputError(f"Nilai '{value_text}' bukan angka.", code=ErrorCode.PART_VALUE_INVALID,
                             field="part") from None  # fmt: skip
    if value is not None and not value.is_finite():
        raise RuleInputError(
            f"Nilai '{value_text}' bukan angka.", code=ErrorCode.PART_VALUE_INVALID, field="part"
        )
    return Injury(code=code.strip().lower(), function_lost=lost, value=value)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _row_percent(row: BodyPart, valued: BodyPart, injury: Injury) -> tuple[Decimal, str]:
    """The percentage one injury is worth by its row, and how the line says it."""
    if row.kind == "part":
        if injury.value is not None:
            raise RuleInputError(f"'{row.part}' tidak memerlukan nilai (=...); isi fungsi yang hilang bila sebagian.",
                                 code=ErrorCode.PART_VALUE_INVALID, field="part")  # fmt: skip
        percent = valued.percent * injury.function_lost / 100
        label = f"{_fmt(valued.percent)} %"
        if injury.function_lost < 100:
            label += f" x {_fmt(injury.function_lost)} % fungsi hilang"
        return percent, label
    if injury.function_lost != 100:
        raise RuleInputError(f"'{row.part}' dinilai dengan nilai dokter (=...), bukan fungsi yang hilang.",
                             code=ErrorCode.PART_VALUE_INVALID, field="part")  # fmt: skip
    if injury.value is None:
        wanted = "persentase dokter" if row.kind == "range" else f"kehilangan yang diukur ({row.unit})"
        raise RuleInputError(f"'{row.part}' memerlukan {wanted}: {row.code}=NILAI.",
                             code=ErrorCode.PART_VALUE_MISSING, field="part")  # fmt: skip
    if row.kind == "range":
        assert row.percent_max is not None
        if not row.percent <= injury.value <= row.percent_max:
            raise RuleInputError(f"'{row.part}': persentase dokter harus {_fmt(row.percent)}-{_fmt(row.percent_max)} %.",
                                 code=ErrorCode.PART_VALUE_OUT_OF_RANGE, field="part")  # fmt: skip
        return (
            injury.value,
            f"{_fmt(injury.value)} % penetapan dokter dalam rentang {_fmt(row.percent)}-{_fmt(row.percent_max)} %",
        )
    assert row.step is not None
    steps = int(injury.value // row.step) if injury.value > 0 else 0
    if steps < 1 or injury.value > 100 * row.step:
        raise RuleInputError(f"'{row.part}': kehilangan paling sedikit {_fmt(row.step)} {row.unit} (satu langkah).",
                             code=ErrorCode.PART_VALUE_OUT_OF_RANGE, field="part")  # fmt: skip
    percent = row.percent * steps
    label = f"{steps} x {_fmt(row.percent)} % per {_fmt(row.step)} {row.unit}"
    if row.percent_max is not None and percent > row.percent_max:
        percent = row.percent_max
        label += f", paling banyak {_fmt(row.percent_max)} %"
    return percent, label


def partial_disability_lines(
    *, income: int, injuries: list[Injury], table: Mapping[str, BodyPart], left_handed: bool = False,
    schedule: Schedule = SCHEDULE,
) -> list[Line]:  # fmt: skip
    """Partial permanent disability from the table: for each part, its percentage (see `BodyPart`) x 80 x
    income, one line each. A left-handed worker's left and right are valued swapped (note to the table).
    Several parts add up to at most 70 % (decision in the domain rules): the benefit never exceeds 56 x income,
    the lump sum of total permanent disability; the cap is its own line."""
    if not injuries:
        raise RuleInputError(
            "Pilih bagian tubuh dari tabel cacat.", code=ErrorCode.PART_MISSING, field="part"
        )
    seen: set[str] = set()
    lines: list[Line] = []
    summed = Decimal(0)
    for injury in injuries:
        row = table.get(injury.code)
        if row is None:
            raise RuleInputError(f"Bagian tubuh '{injury.code}' tidak ada di tabel cacat; lihat "
                                 "`jaring claim disability-table`.", code=ErrorCode.PART_UNKNOWN, field="part")  # fmt: skip
        if injury.code in seen:
            raise RuleInputError(f"Bagian tubuh '{injury.code}' disebut dua kali.", code=ErrorCode.PART_DUPLICATE,
                                 field="part")  # fmt: skip
        seen.add(injury.code)
        if not Decimal(0) < injury.function_lost <= Decimal(100):
            raise RuleInputError("Persentase fungsi yang hilang harus lebih dari 0 dan paling banyak 100.",
                                 code=ErrorCode.PART_FUNCTION_INVALID, field="part")  # fmt: skip
        valued = table.get(row.mirror, row) if left_handed and row.mirror else row
        percent, how = _row_percent(row, valued, injury)
        summed += percent
        label = f"Cacat sebagian: {row.part} ({how}" + (
            ", kidal: nilai sisi lain)" if valued is not row else ")"
        )
        lines.append(Line(label, _rupiah(percent / 100 * schedule.partial_disability_multiplier * income),
                          f"{row.source or 'Tabel cacat'}: {_fmt(percent)} % x "
                          f"{schedule.partial_disability_multiplier} x upah"))  # fmt: skip
    return lines + _cap_line(summed=summed, paid=total(lines), income=income, schedule=schedule)


def _cap_line(*, summed: Decimal, paid: int, income: int, schedule: Schedule) -> list[Line]:
    """The 70 % cap of partial disability as a line of its own (a negative amount), when it bites."""
    cap = schedule.partial_disability_cap_percent
    if summed <= cap:
        return []
    most = cap * schedule.partial_disability_multiplier * income // 100
    return [Line(f"Batas cacat sebagian: jumlah {_fmt(summed)} % dibatasi {cap} % "
                 f"({cap * schedule.partial_disability_multiplier // 100} x upah)", most - paid,
                 f"Keputusan aturan domain: persentase dijumlahkan, paling banyak {cap} % x "
                 f"{schedule.partial_disability_multiplier} x upah = santunan cacat total tetap")]  # fmt: skip


def partial_disability_benefit(*, income: int, percent: Decimal, schedule: Schedule = SCHEDULE) -> list[Line]:
    """A percentage the advising doctor set for a loss the table does not list (a function or mental
    disability): percent x 80 x income (0 < percent <= 100), at most 70 % (56 x income)."""
    if not Decimal(0) < percent <= Decimal(100):
        raise ValueError("percent must be more than 0 and at most 100")
    amount = _rupiah(percent / 100 * schedule.partial_disability_multiplier * income)
    lines = [Line(f"Santunan cacat sebagian tetap ({_fmt(percent)} %, penetapan dokter)", amount,
                  f"{PP82}: % cacat x {schedule.partial_disability_multiplier} x upah")]  # fmt: skip
    return lines + _cap_line(summed=percent, paid=amount, income=income, schedule=schedule)


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


def total(lines: list[Line]) -> int:
    return sum(line.amount for line in lines)


# Documents a claim needs before it can be verified (BPJS claim requirements; a decision where they vary).
REQUIRED_DOCUMENTS: Mapping[ClaimType, frozenset[str]] = {
    ClaimType.JKM: frozenset({"death_certificate", "id_card", "family_card"}),
    ClaimType.JKK_DEATH: frozenset({"death_certificate", "id_card", "family_card", "accident_report"}),
    ClaimType.JKK_TOTAL_DISABILITY: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_PARTIAL_DISABILITY: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_STMB: frozenset({"id_card", "accident_report"}),
    ClaimType.JKK_TRANSPORT: frozenset({"id_card", "accident_report"}),
    ClaimType.JKK_MEDICAL: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_HOME_CARE: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_AIDS: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.SCHOLARSHIP: frozenset({"family_card", "school_certificate"}),
}
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def missing_documents(*, claim: ClaimType, present: set[str]) -> list[str]:
    return sorted(REQUIRED_DOCUMENTS[claim] - present)


def document_kind(head: bytes) -> str | None:
    """The content type a file's first bytes prove (never the name or the browser's word)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


# The steps of a claim: from each status, where it may go next (rejection is possible until paid).
NEXT_STEP = {"reported": "documents", "documents": "verified", "verified": "approved", "approved": "paid"}
