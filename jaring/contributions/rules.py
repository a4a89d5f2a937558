"""What a BPU participant owes for one month (domain rules section 2). Pure: the rates, income tiers and
discounts arrive as effective-dated rows (data an administrator changes), never as literals here.

Sources: JKK 1 % of declared income and JKM Rp 6,800 (PP 44/2015 Lampiran II, unchanged by PP 82/2019 and
PP 49/2023); JHT 2 % (PP 46/2015); the temporary 50 % cut of JKK and JKM (PP 50/2025)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.core.types import Period, rupiah
from jaring.registry.rules import luhn_digit


class Program(StrEnum):
    JKK = "jkk"  # Jaminan Kecelakaan Kerja: work accident (mandatory)
    JKM = "jkm"  # Jaminan Kematian: death (mandatory)
    JHT = "jht"  # Jaminan Hari Tua: old-age savings (optional for BPU)


class PayerType(StrEnum):
    """Who pays, here and everywhere in Jaring."""

    MANDIRI = "mandiri"  # the worker
    APBN = "apbn"  # national budget
    APBD_PROVINSI = "apbd_provinsi"  # provincial budget
    APBD_KABKOTA = "apbd_kabkota"  # regency / city budget
    APBDES = "apbdes"  # village budget (APBDes, Dana Desa, ADD)
    CSR = "csr"  # company CSR / TJSL
    DONOR = "donor"  # individual or organisational donors (GN Lingkaran)
    BAZNAS = "baznas"


PAYER_TYPE_LABELS = {
    PayerType.MANDIRI: "Peserta sendiri (mandiri)", PayerType.APBN: "APBN (pemerintah pusat)",
    PayerType.APBD_PROVINSI: "APBD provinsi", PayerType.APBD_KABKOTA: "APBD kabupaten/kota",
    PayerType.APBDES: "APBDes (Dana Desa)", PayerType.CSR: "CSR perusahaan", PayerType.DONOR: "Donatur",
    PayerType.BAZNAS: "BAZNAS",
}  # fmt: skip


class Basis(StrEnum):
    PERCENT_OF_INCOME = "percent"  # value is a percentage of the declared monthly income
    FLAT = "flat"  # value is whole rupiah per month


class SectorScope(StrEnum):
    TRANSPORT = "transport"
    OTHER = "other"
    ALL = "all"


@dataclass(frozen=True)
class RateRow:
    id: int
    program: Program
    basis: Basis
    value: Decimal
    valid_from: Period
    valid_to: Period | None
    source: str


@dataclass(frozen=True)
class IncomeTierRow:
    """Accepted declared incomes: a range [lower, upper] of whole rupiah (lower == upper for one fixed step)."""

    id: int
    lower: int
    upper: int
    valid_from: Period
    valid_to: Period | None
    source: str


@dataclass(frozen=True)
class DiscountRow:
    id: int
    name: str
    programs: frozenset[Program]
    percent: Decimal
    sector: SectorScope
    valid_from: Period
    valid_to: Period | None
    source: str


@dataclass(frozen=True)
class Due:
    jkk: int
    jkm: int
    jht: int
    rules_used: tuple[str, ...]  # "rate:1", "tier:1", "discount:2": the rows that decided the amounts

    @property
    def total(self) -> int:
        return self.jkk + self.jkm + self.jht


def in_force(valid_from: Period, valid_to: Period | None, period: Period) -> bool:
    return valid_from <= period and (valid_to is None or period <= valid_to)


def payer_type_parse(text: str) -> PayerType:
    try:
        return PayerType(text)
    except ValueError:
        raise ValidationFailed(
            f"Jenis pembayar '{text}' tidak dikenal: pilih salah satu dari {', '.join(p.value for p in PayerType)}.",
            code=ErrorCode.PAYER_TYPE_UNKNOWN,
            field="payer_type",
        ) from None


def contribution_due(
    *,
    income: int,
    period: Period,
    payer_type: PayerType,
    sector: str,
    jht: bool,
    rates: Sequence[RateRow],
    tiers: Sequence[IncomeTierRow],
    discounts: Sequence[DiscountRow],
    discount_excluded: bool,
) -> Due:
    """The month's contribution in whole rupiah. Each program's amount is rounded half up; a discount is
    applied to that amount and rounded half up again (docs/decisions/0005). `discount_excluded` says whether
    this payer type is outside the PP 50/2025 cut (APBN and APBD are; APBDes is a setting, default not)."""
    if sector not in (SectorScope.TRANSPORT, SectorScope.OTHER):
        raise ValidationFailed(
            f"Sektor '{sector}' tidak dikenal: transport atau other.",
            code=ErrorCode.SECTOR_UNKNOWN,
            field="sector",
        )
    tier = next(
        (t for t in tiers if in_force(t.valid_from, t.valid_to, period) and t.lower <= income <= t.upper),
        None,
    )
    if tier is None:
        ranges = ", ".join(
            f"Rp {t.lower:,}".replace(",", ".")
            + ("" if t.lower == t.upper else f" - Rp {t.upper:,}".replace(",", "."))
            for t in tiers
            if in_force(t.valid_from, t.valid_to, period)
        )
        raise ValidationFailed(
            f"Penghasilan Rp {income:,} tidak ada dalam tingkat penghasilan bulan {period} ({ranges or 'belum diatur'}).".replace(
                ",", "."
            ),
            code=ErrorCode.INCOME_OUTSIDE_TIERS,
            field="income",
        )
    used = [f"tier:{tier.id}"]
    amounts: dict[Program, int] = {}
    for program in (Program.JKK, Program.JKM, *((Program.JHT,) if jht else ())):
        row = next(
            (r for r in rates if r.program == program and in_force(r.valid_from, r.valid_to, period)), None
        )
        if row is None:
            raise ValidationFailed(
                f"Tarif {program.value.upper()} untuk bulan {period} belum diatur.",
                code=ErrorCode.RATE_MISSING,
                field="period",
            )
        exact = Decimal(income) * row.value / 100 if row.basis == Basis.PERCENT_OF_INCOME else row.value
        amount = rupiah(exact)
        used.append(f"rate:{row.id}")
        applicable = [
            d
            for d in discounts
            if program in d.programs
            and in_force(d.valid_from, d.valid_to, period)
            and d.sector in (SectorScope.ALL, sector)
        ]
        if applicable and discount_excluded:
            used.append(f"payer:{payer_type.value}")
        elif applicable:
            # Discounts never compound: where rows overlap, the largest cut applies.
            best = max(applicable, key=lambda d: (d.percent, -d.id))
            amount = rupiah(Decimal(amount) * (100 - best.percent) / 100)
            used.append(f"discount:{best.id}")
        amounts[program] = amount
    return Due(
        jkk=amounts[Program.JKK],
        jkm=amounts[Program.JKM],
        jht=amounts.get(Program.JHT, 0),
        rules_used=tuple(dict.fromkeys(used)),
    )


# ------------------------------------------------------------------------------------- virtual accounts


VA_LENGTH = 16


def va_number(*, prefix: str, customer: str) -> str:
    """A 16-digit virtual account: the bank's 4-digit company prefix, an 11-digit customer number and a Luhn
    check digit over the 15 before it, so a mistyped digit or two swapped neighbours are caught."""
    body = prefix + customer
    if len(body) != VA_LENGTH - 1 or not (body.isascii() and body.isdigit()):
        raise ValueError(f"prefix + customer must be {VA_LENGTH - 1} digits: {body!r}")
    return body + luhn_digit(body)


def va_clean(text: str) -> str:
    """As typed or printed by a bank: spaces, dots and dashes between digit groups are dropped."""
    return "".join(ch for ch in (text or "") if ch not in " .-\u00a0\t")


def va_valid(text: str) -> bool:
    return len(text) == VA_LENGTH and text.isascii() and text.isdigit() and luhn_digit(text[:-1]) == text[-1]


def va_near_misses(text: str) -> dict[str, str]:
    """Every valid virtual account one slip away from `text`, with the slip: one digit mistyped ("digit"), two
    neighbours swapped ("swap"), one digit left out ("missing") or one typed twice or too many ("extra").
    For the reconciliation queue's suggestions: a transfer to an account that does not exist was most often
    meant for one of these (the Luhn digit leaves about one in ten of them valid)."""
    digits = va_clean(text)
    if not (digits.isascii() and digits.isdigit()) or not VA_LENGTH - 1 <= len(digits) <= VA_LENGTH + 1:
        return {}
    found: dict[str, str] = {}

    def keep(candidate: str, slip: str) -> None:
        if candidate != digits and va_valid(candidate):
            found.setdefault(candidate, slip)

    if len(digits) == VA_LENGTH:
        for i in range(VA_LENGTH - 1):
            keep(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :], "swap")
        for i in range(VA_LENGTH):
            for d in "0123456789":
                keep(digits[:i] + d + digits[i + 1 :], "digit")
    elif len(digits) == VA_LENGTH - 1:
        for i in range(VA_LENGTH):
            for d in "0123456789":
                keep(digits[:i] + d + digits[i:], "missing")
    else:
        for i in range(len(digits)):
            keep(digits[:i] + digits[i + 1 :], "extra")
    return found


VA_SLIP_LABELS = {
    "digit": ("satu angka berbeda", "one digit differs"),
    "swap": ("dua angka bertukar tempat", "two digits swapped"),
    "missing": ("kurang satu angka", "one digit missing"),
    "extra": ("kelebihan satu angka", "one digit too many"),
}
PAYER_TYPE_LABELS_EN = {
    PayerType.MANDIRI: "Self-paying member", PayerType.APBN: "APBN (central government)",
    PayerType.APBD_PROVINSI: "APBD (province)", PayerType.APBD_KABKOTA: "APBD (regency/city)",
    PayerType.APBDES: "APBDes (village fund)", PayerType.CSR: "Company CSR", PayerType.DONOR: "Donor",
    PayerType.BAZNAS: "BAZNAS",
}  # fmt: skip


# ------------------------------------------------------------------------------------- billing cycle

FREQUENCIES = (1, 3, 6, 12)  # monthly, or 3, 6 or 12 months in advance (domain rules section 2)


def cycle_months(*, period: Period, anchor: Period, frequency: int) -> list[Period]:
    """The months a payer's bill issued in `period` covers: from `period` to the end of the payer's current
    cycle. A payer paying every `frequency` months from `anchor` gets the whole cycle at its first month; later
    in the cycle only what is not billed yet (a worker who joined) up to the cycle's end."""
    if frequency not in FREQUENCIES:
        raise ValidationFailed(
            f"Frekuensi bayar {frequency} bulan tidak dikenal: 1, 3, 6 atau 12.",
            code=ErrorCode.FREQUENCY_INVALID,
            field="frequency",
        )
    offset = (period.index - anchor.index) % frequency if period >= anchor else 0
    return [period.plus(i) for i in range(frequency - offset)]


# ------------------------------------------------------------------------------------- membership standing

# BPJS Perdir 22/PERDIR.02/072022: arrears may be paid up to 3 months after protection ended; after more than
# 3 consecutive unpaid months the membership ends.
GRACE_MONTHS = 3


class MonthState(StrEnum):
    PAID = "paid"  # the month's contribution was paid in full
    UNPAID = "unpaid"  # billed, not paid, still payable
    LAPSED = "lapsed"  # billed, not paid, no longer payable (grace over or membership ended)
    NOT_BILLED = "none"  # not a member then, or not billed yet


class Standing(StrEnum):
    ACTIVE = "active"
    ARREARS = "arrears"  # unpaid past months, still inside the grace window
    ENDED = "ended"
    NOT_MEMBER = "none"


BILL_AHEAD_MONTHS = 12  # decision: a billing run goes at most a year ahead (the longest payment cycle)


def last_payable_month(period: Period) -> Period:
    """A month's contribution is due within that month (decision, docs/decisions/0006) and may still be paid
    during the next 3 months (Perdir 22/2022); from the 4th month after, it can no longer be paid."""
    return period.plus(GRACE_MONTHS)


def payable(*, period: Period, as_of: Period) -> bool:
    return as_of <= last_payable_month(period)


@dataclass(frozen=True)
class MembershipStanding:
    standing: Standing
    arrears: tuple[Period, ...]  # past months that can still be paid to restore cover
    ended_in: Period | None  # the month the membership ended (the 4th consecutive unpaid month passed)
    reactivated_in: Period | None  # the first month paid again after an end


def membership_standing(*, months: dict[Period, MonthState], as_of: Period) -> MembershipStanding:
    """Standing at month `as_of`, whose own contribution is still open: only earlier months are past due.
    A run of more than GRACE_MONTHS consecutive unpaid months ends the membership; a later paid month
    re-activates it and the unpaid gap stays uncovered (domain rules section 2, decision). A month that was not
    billed breaks a run: nothing was owed."""
    streak: list[Period] = []
    ended_in: Period | None = None
    reactivated_in: Period | None = None
    ended = False
    billed_any = False
    for period in sorted(months):
        state = months[period]
        if state == MonthState.NOT_BILLED:
            if period < as_of:
                streak = []
            continue
        billed_any = True
        if state == MonthState.PAID:
            if ended:
                ended, reactivated_in = False, period
            streak = []
            continue
        if period >= as_of:
            continue
        streak.append(period)
        if not ended and len(streak) > GRACE_MONTHS:
            ended, ended_in = True, period.plus(1)
    if not billed_any:
        return MembershipStanding(Standing.NOT_MEMBER, (), None, None)
    if ended:
        return MembershipStanding(Standing.ENDED, (), ended_in, reactivated_in)
    arrears = tuple(p for p in streak if payable(period=p, as_of=as_of) and months[p] == MonthState.UNPAID)
    standing = Standing.ARREARS if arrears else Standing.ACTIVE
    return MembershipStanding(standing, arrears, ended_in, reactivated_in)


BANK_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,15}$")


def bank_code(text: str) -> str:
    """The code a bank's name is written as: "BCA", " Bca", "bank bca" and "Bank_BCA" are all "bca" (lower case,
    spaces and underscores as "-", a leading "bank " dropped). May not be a valid code: see BANK_CODE."""
    words = re.sub(r"[\s_]+", " ", text.strip().lower()).split(" ")
    if len(words) > 1 and words[0] == "bank":
        words = words[1:]
    return "-".join(w for w in words if w)
