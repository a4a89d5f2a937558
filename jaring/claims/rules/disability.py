"""Partial permanent disability by the disability table (PP 82/2019 Lampiran III): rows of three kinds (a part
lost, a range the doctor fixes within, a rate per measured step), one breakdown line per part, the 70 % cap
of several parts (domain rules' decision). Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from jaring.claims.rules.schedule import PP82, SCHEDULE, Line, RuleInputError, Schedule, _rupiah, total
from jaring.core.errors import ErrorCode


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
