"""What a BPU participant owes for a month, by the regulation (domain rules section 2):
JKK 1 % of declared income and JKM Rp 6,800 (PP 44/2015 Lampiran II), JHT 2 % (PP 46/2015), and the PP 50/2025
cut of 50 % on JKK and JKM: Jan 2026 - Mar 2027 for transport, Apr - Dec 2026 for the other sectors, never for
APBN or APBD payers, never on JHT. Rounding: whole rupiah, half up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.contributions.rules import (
    Basis,
    DiscountRow,
    Due,
    IncomeTierRow,
    PayerType,
    Program,
    RateRow,
    SectorScope,
    contribution_due,
    payer_type_parse,
)
from jaring.core.errors import ValidationFailed
from jaring.core.types import Period, rupiah

P = Period.parse
RATES = [
    RateRow(1, Program.JKK, Basis.PERCENT_OF_INCOME, Decimal("1"), P("2015-07"), None, "PP 44/2015"),
    RateRow(2, Program.JKM, Basis.FLAT, Decimal("6800"), P("2015-07"), None, "PP 44/2015"),
    RateRow(3, Program.JHT, Basis.PERCENT_OF_INCOME, Decimal("2"), P("2015-07"), None, "PP 46/2015"),
]
TIERS = [IncomeTierRow(1, 1_000_000, 20_700_000, P("2015-07"), None, "Lampiran II PP 44/2015")]
DISCOUNTS = [
    DiscountRow(1, "transport", frozenset({Program.JKK, Program.JKM}), Decimal("50"), SectorScope.TRANSPORT, P("2026-01"), P("2027-03"), "PP 50/2025"),
    DiscountRow(2, "other", frozenset({Program.JKK, Program.JKM}), Decimal("50"), SectorScope.OTHER, P("2026-04"), P("2026-12"), "PP 50/2025"),
]  # fmt: skip
EXCLUDED = {PayerType.APBN, PayerType.APBD_PROVINSI, PayerType.APBD_KABKOTA}


def due(income: int, period: str, payer: PayerType, sector: str, jht: bool = False) -> Due:
    return contribution_due(
        income=income, period=P(period), payer_type=payer, sector=sector, jht=jht, rates=RATES, tiers=TIERS,
        discounts=DISCOUNTS, discount_excluded=payer in EXCLUDED,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("income", "period", "payer", "sector", "jht", "jkk", "jkm", "jht_due", "total"),
    [
        # The "Rp 16,800" package at the Rp 1,000,000 tier (PP 44/2015), before any discount.
        (1_000_000, "2025-12", PayerType.MANDIRI, "other", False, 10_000, 6_800, 0, 16_800),
        (1_000_000, "2025-12", PayerType.MANDIRI, "transport", False, 10_000, 6_800, 0, 16_800),
        # With JHT 2 % (PP 46/2015): Rp 36,800.
        (1_000_000, "2025-12", PayerType.MANDIRI, "other", True, 10_000, 6_800, 20_000, 36_800),
        # PP 50/2025, transport: January 2026 to March 2027, Rp 8,400 (JKK 5,000 + JKM 3,400).
        (1_000_000, "2026-01", PayerType.MANDIRI, "transport", False, 5_000, 3_400, 0, 8_400),
        (1_000_000, "2027-03", PayerType.MANDIRI, "transport", False, 5_000, 3_400, 0, 8_400),
        (1_000_000, "2027-04", PayerType.MANDIRI, "transport", False, 10_000, 6_800, 0, 16_800),
        # PP 50/2025, other sectors: April to December 2026 only.
        (1_000_000, "2026-03", PayerType.MANDIRI, "other", False, 10_000, 6_800, 0, 16_800),
        (1_000_000, "2026-04", PayerType.MANDIRI, "other", False, 5_000, 3_400, 0, 8_400),
        (1_000_000, "2026-12", PayerType.MANDIRI, "other", False, 5_000, 3_400, 0, 8_400),
        (1_000_000, "2027-01", PayerType.MANDIRI, "other", False, 10_000, 6_800, 0, 16_800),
        # JHT is never discounted.
        (1_000_000, "2026-06", PayerType.MANDIRI, "other", True, 5_000, 3_400, 20_000, 28_400),
        # Not for payers funded from APBN or APBD.
        (1_000_000, "2026-06", PayerType.APBN, "other", False, 10_000, 6_800, 0, 16_800),
        (1_000_000, "2026-06", PayerType.APBD_PROVINSI, "transport", False, 10_000, 6_800, 0, 16_800),
        (1_000_000, "2026-02", PayerType.APBD_KABKOTA, "transport", False, 10_000, 6_800, 0, 16_800),
        # APBDes is a village budget, not APBD (decision: discount applies); CSR, donors, BAZNAS likewise.
        (1_000_000, "2026-06", PayerType.APBDES, "other", False, 5_000, 3_400, 0, 8_400),
        (1_000_000, "2026-06", PayerType.CSR, "other", False, 5_000, 3_400, 0, 8_400),
        (1_000_000, "2026-06", PayerType.DONOR, "transport", False, 5_000, 3_400, 0, 8_400),
        (1_000_000, "2026-06", PayerType.BAZNAS, "other", False, 5_000, 3_400, 0, 8_400),
        # Higher tiers: JKK and JHT follow income, JKM is flat.
        (2_500_000, "2025-12", PayerType.MANDIRI, "other", True, 25_000, 6_800, 50_000, 81_800),
        (2_500_000, "2026-06", PayerType.MANDIRI, "other", True, 12_500, 3_400, 50_000, 65_900),
        (20_700_000, "2025-12", PayerType.MANDIRI, "other", False, 207_000, 6_800, 0, 213_800),
        # Rounding, whole rupiah half up: 1 % of 1,234,550 = 12,345.50 -> 12,346; halved 6,173.
        (1_234_550, "2025-12", PayerType.MANDIRI, "other", True, 12_346, 6_800, 24_691, 43_837),
        (1_234_550, "2026-06", PayerType.MANDIRI, "other", False, 6_173, 3_400, 0, 9_573),
        # 1 % of 1,234,449 = 12,344.49 -> 12,344; halved 6,172.
        (1_234_449, "2026-06", PayerType.MANDIRI, "other", False, 6_172, 3_400, 0, 9_572),
        # 1 % of 1,000,150 = 10,001.50 -> 10,002; halved 5,001.
        (1_000_150, "2026-06", PayerType.MANDIRI, "other", False, 5_001, 3_400, 0, 8_401),
        # 1 % of 1,000,100 = 10,001; halved 5,000.50 -> 5,001.
        (1_000_100, "2026-06", PayerType.MANDIRI, "other", False, 5_001, 3_400, 0, 8_401),
    ],
)
def test_contribution_due_by_the_regulation(
    income: int,
    period: str,
    payer: PayerType,
    sector: str,
    jht: bool,
    jkk: int,
    jkm: int,
    jht_due: int,
    total: int,
) -> None:
    d = due(income, period, payer, sector, jht)
    assert (d.jkk, d.jkm, d.jht, d.total) == (jkk, jkm, jht_due, total)


def test_the_rule_rows_used_are_named() -> None:
    assert due(1_000_000, "2026-06", PayerType.MANDIRI, "other").rules_used == (
        "tier:1",
        "rate:1",
        "discount:2",
        "rate:2",
    )
    assert due(1_000_000, "2026-06", PayerType.APBN, "other").rules_used == (
        "tier:1",
        "rate:1",
        "payer:apbn",
        "rate:2",
    )
    assert due(1_000_000, "2025-06", PayerType.APBN, "other", jht=True).rules_used == (
        "tier:1",
        "rate:1",
        "rate:2",
        "rate:3",
    )


@pytest.mark.parametrize(
    ("income", "period", "sector", "code"),
    [
        (999_999, "2026-06", "other", "INCOME_OUTSIDE_TIERS"),
        (20_700_001, "2026-06", "other", "INCOME_OUTSIDE_TIERS"),
        (1_000_000, "2015-06", "other", "INCOME_OUTSIDE_TIERS"),  # before the tiers were in force
        (1_000_000, "2026-06", "nelayan", "SECTOR_UNKNOWN"),
    ],
)
def test_refused_with_the_reason(income: int, period: str, sector: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        due(income, period, PayerType.MANDIRI, sector)
    assert exc.value.code == code and exc.value.message


def test_a_month_without_a_rate_is_refused() -> None:
    with pytest.raises(ValidationFailed) as exc:
        contribution_due(income=1_000_000, period=P("2026-06"), payer_type=PayerType.MANDIRI, sector="other", jht=True,
                         rates=RATES[:2], tiers=TIERS, discounts=[], discount_excluded=False)  # fmt: skip
    assert exc.value.code == "RATE_MISSING"


def test_a_new_rate_row_takes_over_from_its_month() -> None:
    # Regulations change by new rows with a period, never by edited literals.
    rates = [*RATES[1:], RateRow(1, Program.JKK, Basis.PERCENT_OF_INCOME, Decimal("1"), P("2015-07"), P("2027-12"), "old"),
             RateRow(9, Program.JKK, Basis.PERCENT_OF_INCOME, Decimal("1.5"), P("2028-01"), None, "new")]  # fmt: skip
    kwargs: dict[str, Any] = {"income": 1_000_000, "payer_type": PayerType.MANDIRI, "sector": "other", "jht": False, "rates": rates,
              "tiers": TIERS, "discounts": DISCOUNTS, "discount_excluded": False}  # fmt: skip
    assert contribution_due(period=P("2027-12"), **kwargs).jkk == 10_000
    assert contribution_due(period=P("2028-01"), **kwargs).jkk == 15_000


def test_overlapping_discounts_never_compound() -> None:
    extra = DiscountRow(
        7, "extra", frozenset({Program.JKK}), Decimal("20"), SectorScope.ALL, P("2026-01"), None, "x"
    )
    d = contribution_due(income=1_000_000, period=P("2026-06"), payer_type=PayerType.MANDIRI, sector="other", jht=False,
                         rates=RATES, tiers=TIERS, discounts=[*DISCOUNTS, extra], discount_excluded=False)  # fmt: skip
    assert (d.jkk, d.jkm) == (5_000, 3_400)


@pytest.mark.parametrize(
    ("text", "ok"), [("mandiri", True), ("apbd_kabkota", True), ("APBD", False), ("", False)]
)
def test_payer_types(text: str, ok: bool) -> None:
    if ok:
        assert payer_type_parse(text).value == text
    else:
        with pytest.raises(ValidationFailed) as exc:
            payer_type_parse(text)
        assert exc.value.code == "PAYER_TYPE_UNKNOWN"


@pytest.mark.parametrize(("text", "ok"), [("2026-11", True), ("2026-13", False), ("2026-00", False), ("26-11", False), ("2026/11", False), ("", False)])  # fmt: skip
def test_periods(text: str, ok: bool) -> None:
    if ok:
        assert str(Period.parse(text)) == text
    else:
        with pytest.raises(ValidationFailed) as exc:
            Period.parse(text)
        assert exc.value.code == "PERIOD_INVALID"


def test_period_arithmetic_and_rounding() -> None:
    assert (
        P("2026-11").plus(2) == P("2027-01")
        and P("2026-01").plus(-1) == P("2025-12")
        and P("2026-01") < P("2026-02")
    )
    assert (rupiah(Decimal("0.5")), rupiah(Decimal("1.49")), rupiah(Decimal("2.5"))) == (1, 1, 3)


@given(
    income=st.integers(min_value=1_000_000, max_value=20_700_000),
    month=st.integers(min_value=0, max_value=47),
    payer=st.sampled_from(list(PayerType)),
    sector=st.sampled_from(["transport", "other"]),
    jht=st.booleans(),
)
def test_a_discount_never_raises_what_is_due_and_never_touches_jht(
    income: int, month: int, payer: PayerType, sector: str, jht: bool
) -> None:
    period = str(P("2025-01").plus(month))
    with_cut = due(income, period, payer, sector, jht)
    without = contribution_due(income=income, period=P(period), payer_type=payer, sector=sector, jht=jht, rates=RATES,
                               tiers=TIERS, discounts=[], discount_excluded=False)  # fmt: skip
    assert with_cut.total <= without.total and with_cut.jht == without.jht
    assert with_cut.jkk in (without.jkk, rupiah(Decimal(without.jkk) / 2))
