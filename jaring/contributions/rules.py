"""What a BPU participant owes for one month (domain rules section 2). Pure: the rates, income tiers and
discounts arrive as effective-dated rows (data an administrator changes), never as literals here.

Sources: JKK 1 % of declared income and JKM Rp 6,800 (PP 44/2015 Lampiran II, unchanged by PP 82/2019 and
PP 49/2023); JHT 2 % (PP 46/2015); the temporary 50 % cut of JKK and JKM (PP 50/2025)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from jaring.core.errors import ValidationFailed
from jaring.core.types import Period, rupiah


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
            code="PAYER_TYPE_UNKNOWN",
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
            f"Sektor '{sector}' tidak dikenal: transport atau other.", code="SECTOR_UNKNOWN", field="sector"
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
            code="INCOME_OUTSIDE_TIERS",
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
                code="RATE_MISSING",
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
