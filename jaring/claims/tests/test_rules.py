"""The benefit schedule and claim eligibility as tables of cases. Sources: PP 44/2015 jo. PP 82/2019 Lampiran III
(domain rules section 3); PP 44/2015 Art. 26 (JKK right lapses after 2 years); the Jaring decisions on STMB per
day and on coverage paid on or before the event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.claims import rules
from jaring.claims.rules import Child, ClaimType, Facts, Flag, Level, Mode, Refusal

TZ = dt.timezone(dt.timedelta(hours=7))  # Asia/Jakarta
PAID = Facts(event_month_paid_on_time=True, paid_months=12)


def test_jkm_is_42_million() -> None:
    # PP 82/2019: lump sum Rp 20 m + periodic 24 x Rp 500,000 + funeral Rp 10 m
    lines = rules.jkm_benefit()
    assert [line.amount for line in lines] == [20_000_000, 12_000_000, 10_000_000]
    assert rules.total(lines) == 42_000_000
    assert all("PP 82/2019" in line.basis for line in lines)


@pytest.mark.parametrize(
    ("income", "lump", "total"),
    [
        (1_000_000, 48_000_000, 70_000_000),  # domain rules: at the Rp 1 m tier, 48 m + 10 m + 12 m = 70 m
        (400_000, 20_000_000, 42_000_000),  # 48 x 400,000 = 19.2 m: the Rp 20 m minimum applies
        (416_667, 20_000_016, 42_000_016),  # just above the minimum
        (5_000_000, 240_000_000, 262_000_000),
    ],
)
def test_jkk_death_48_times_income_at_least_20_million(income: int, lump: int, total: int) -> None:
    lines = rules.jkk_death_benefit(income=income)
    assert lines[0].amount == lump and rules.total(lines) == total
    assert "48 x upah" in lines[0].basis


@pytest.mark.parametrize(("income", "total"), [(1_000_000, 68_000_000), (2_500_000, 152_000_000)])
def test_total_disability_56_times_income_plus_periodic(income: int, total: int) -> None:
    # PP 82/2019 Lampiran III: 70 % x 80 x income + Rp 12 m
    assert rules.total(rules.total_disability_benefit(income=income)) == total


@pytest.mark.parametrize(
    ("percent", "income", "amount"),
    [
        (Decimal("10"), 1_000_000, 8_000_000),  # 10 % x 80 x 1 m
        (Decimal("35"), 1_000_000, 28_000_000),
        (Decimal("2.5"), 1_500_000, 3_000_000),
        (Decimal("0.1"), 1_234_567, 98_765),  # 0.001 x 80 x 1,234,567 = 98,765.36: rounded half up
    ],
)
def test_partial_disability_percent_times_80_times_income(percent: Decimal, income: int, amount: int) -> None:
    assert rules.total(rules.partial_disability_benefit(income=income, percent=percent)) == amount


@pytest.mark.parametrize("percent", [Decimal(0), Decimal(-5), Decimal("100.1")])
def test_partial_disability_percent_must_be_in_range(percent: Decimal) -> None:
    with pytest.raises(ValueError):
        rules.partial_disability_benefit(income=1_000_000, percent=percent)


@pytest.mark.parametrize(
    ("days", "income", "amounts"),
    [
        (30, 1_000_000, [1_000_000]),  # a month: the full income
        (10, 1_000_000, [333_333]),  # 10 x 33,333.33
        (365, 1_500_000, [18_250_000]),
        (400, 1_500_000, [18_250_000, 875_000]),  # day 366 on at 50 %: 35 x 50,000 x 50 %
        (0, 1_000_000, [0]),
    ],
)
def test_stmb_per_day_full_for_365_days_then_half(days: int, income: int, amounts: list[int]) -> None:
    assert [line.amount for line in rules.stmb_benefit(income=income, days=days)] == amounts


@pytest.mark.parametrize(
    ("mode", "claimed", "paid"),
    [
        (Mode.LAND, 750_000, 750_000),
        (Mode.LAND, 7_000_000, 5_000_000),  # land, river, lake: at most Rp 5 m
        (Mode.SEA, 2_500_000, 2_000_000),  # sea: at most Rp 2 m
        (Mode.AIR, 12_000_000, 10_000_000),  # air: at most Rp 10 m
        (Mode.AIR, 9_999_999, 9_999_999),
    ],
)
def test_transport_capped_by_mode(mode: Mode, claimed: int, paid: int) -> None:
    (line,) = rules.transport_benefit(mode=mode, amount=claimed)
    assert line.amount == paid and ("dibatasi" in line.item) == (claimed > paid)


def test_medical_care_at_the_providers_bills_without_ceiling() -> None:
    assert rules.total(rules.medical_benefit(amount=187_654_321)) == 187_654_321


@pytest.mark.parametrize(
    ("level", "amount"),
    [(Level.TK, 1_500_000), (Level.SD, 1_500_000), (Level.SMP, 2_000_000), (Level.SMA, 3_000_000),
     (Level.UNIVERSITY, 12_000_000)],
)  # fmt: skip
def test_scholarship_per_year_by_level(level: Level, amount: int) -> None:
    assert rules.total(rules.scholarship_benefit(level=level)) == amount


def test_scholarship_at_most_87_million_per_child() -> None:
    assert rules.scholarship_total_per_child() == 87_000_000  # domain rules: Rp 174 m for two


# ------------------------------------------------------------------------------------- eligibility

EVENT = dt.date(2026, 11, 10)


@pytest.mark.parametrize(
    ("claim", "event", "today", "facts", "refusals"),
    [
        (ClaimType.JKM, EVENT, dt.date(2026, 11, 20), PAID, []),
        # paid after the accident: no buying cover afterwards (decision on coverage)
        (ClaimType.JKK_STMB, EVENT, dt.date(2026, 11, 20), Facts(False, 12), [Refusal.NOT_PAID_BEFORE_EVENT]),
        # PP 44/2015 Art. 26 as amended by PP 82/2019: the JKK right lapses 5 years after the accident (not 2)
        (ClaimType.JKK_MEDICAL, EVENT, dt.date(2029, 11, 10), PAID, []),  # a 3-year-old accident: eligible
        (ClaimType.JKK_STMB, EVENT, dt.date(2031, 11, 10), PAID, []),  # the last day of the 5 years
        (ClaimType.JKK_MEDICAL, EVENT, dt.date(2031, 11, 11), PAID, [Refusal.JKK_RIGHT_LAPSED]),
        (ClaimType.JKK_AIDS, EVENT, dt.date(2032, 11, 10), PAID, [Refusal.JKK_RIGHT_LAPSED]),  # 6 years: refused
        (ClaimType.JKM, EVENT, dt.date(2029, 1, 1), PAID, []),  # JKM has no such limit here
        # a worker dies once; nothing happens after a recorded death
        (ClaimType.JKM, EVENT, dt.date(2026, 12, 1), Facts(True, 12, dt.date(2026, 11, 10)), [Refusal.ALREADY_DEAD]),
        (ClaimType.JKK_DEATH, EVENT, dt.date(2026, 12, 1), Facts(True, 12, dt.date(2026, 10, 1)), [Refusal.ALREADY_DEAD]),
        (ClaimType.JKK_STMB, EVENT, dt.date(2026, 12, 1), Facts(True, 12, dt.date(2026, 10, 1)), [Refusal.EVENT_AFTER_DEATH]),
        (ClaimType.JKK_MEDICAL, dt.date(2026, 9, 1), dt.date(2026, 12, 1), Facts(True, 12, dt.date(2026, 10, 1)), []),
        (ClaimType.JKM, dt.date(2026, 12, 1), dt.date(2026, 11, 20), PAID, [Refusal.EVENT_IN_FUTURE]),
    ],
)  # fmt: skip
def test_eligibility(
    claim: ClaimType, event: dt.date, today: dt.date, facts: Facts, refusals: list[Refusal]
) -> None:
    assert rules.eligibility(claim=claim, event=event, reported=None, today=today, facts=facts)[0] == refusals


@pytest.mark.parametrize(
    ("reported", "late"),
    [
        (dt.datetime(2026, 11, 10, 23, 0, tzinfo=TZ), False),
        (dt.datetime(2026, 11, 12, 23, 59, tzinfo=TZ), False),  # within 2 x 24 hours of the event day
        (dt.datetime(2026, 11, 13, 0, 1, tzinfo=TZ), True),  # later: accepted and flagged
        (dt.datetime(2026, 12, 20, 9, 0, tzinfo=TZ), True),
    ],
)
def test_late_report_is_accepted_and_flagged(reported: dt.datetime, late: bool) -> None:
    refusals, flags = rules.eligibility(claim=ClaimType.JKK_MEDICAL, event=EVENT, reported=reported,
                                        today=dt.date(2026, 12, 20), facts=PAID)  # fmt: skip
    assert refusals == [] and (Flag.LATE_REPORT in flags) == late


CHILD = Child(birth_date=dt.date(2015, 6, 1))


@pytest.mark.parametrize(
    ("trigger", "paid_months", "children", "index", "level", "used", "used_tk_sd", "refusals"),
    [
        (ClaimType.JKM, 36, [CHILD], 0, Level.SD, 0, 0, []),
        (ClaimType.JKM, 35, [CHILD], 0, Level.SD, 0, 0, [Refusal.SCHOLARSHIP_TOO_FEW_MONTHS]),  # JKM needs 36
        (ClaimType.JKK_DEATH, 1, [CHILD], 0, Level.SD, 0, 0, []),  # JKK: no minimum period
        (ClaimType.JKK_TOTAL_DISABILITY, 0, [CHILD], 0, Level.SMP, 0, 0, []),
        (ClaimType.JKK_STMB, 40, [CHILD], 0, Level.SD, 0, 0, [Refusal.SCHOLARSHIP_NO_TRIGGER]),
        (ClaimType.JKM, 40, [CHILD, CHILD, CHILD], 2, Level.SD, 0, 0, [Refusal.TOO_MANY_CHILDREN]),  # at most 2
        (ClaimType.JKM, 40, [Child(dt.date(2003, 11, 20))], 0, Level.UNIVERSITY, 0, 0, [Refusal.CHILD_TOO_OLD]),
        (ClaimType.JKM, 40, [Child(dt.date(2003, 11, 22))], 0, Level.UNIVERSITY, 0, 0, []),  # 23 tomorrow
        (ClaimType.JKM, 40, [Child(dt.date(2005, 1, 1), True)], 0, Level.UNIVERSITY, 0, 0,
         [Refusal.CHILD_MARRIED_OR_WORKING]),
        (ClaimType.JKM, 40, [CHILD], 0, Level.SMP, 3, 0, [Refusal.SCHOLARSHIP_YEARS_USED]),  # SMP at most 3
        (ClaimType.JKM, 40, [CHILD], 0, Level.SD, 5, 7, []),
        (ClaimType.JKM, 40, [CHILD], 0, Level.SD, 5, 8, [Refusal.SCHOLARSHIP_YEARS_USED]),  # TK+SD at most 8
    ],
)  # fmt: skip
def test_scholarship_eligibility(
    trigger: ClaimType, paid_months: int, children: list[Child], index: int, level: Level, used: int,
    used_tk_sd: int, refusals: list[Refusal],
) -> None:  # fmt: skip
    found = rules.scholarship_eligibility(
        trigger=trigger, paid_months=paid_months, children=children, child_index=index, level=level,
        years_claimed_at_level=used, years_claimed_tk_sd=used_tk_sd, today=dt.date(2026, 11, 21),
    )  # fmt: skip
    assert found == refusals


@given(st.integers(min_value=0, max_value=2_000), st.integers(min_value=1_000_000, max_value=20_700_000))
def test_stmb_never_more_than_full_pay_and_never_less_than_half(days: int, income: int) -> None:
    paid = rules.total(rules.stmb_benefit(income=income, days=days))
    assert income * days / 30 / 2 - 1 <= paid <= income * days / 30 + 1


@given(st.integers(min_value=1, max_value=20_700_000))
def test_jkk_death_never_below_the_minimum(income: int) -> None:
    assert rules.jkk_death_benefit(income=income)[0].amount >= 20_000_000


@pytest.mark.parametrize(
    ("trigger", "paid_months", "children", "expected"),
    [
        (ClaimType.JKM, 36, 3, (2, None)),  # PP 82/2019: at most two children
        (ClaimType.JKM, 35, 2, (0, Refusal.SCHOLARSHIP_TOO_FEW_MONTHS)),  # JKM needs 36 paid months
        (ClaimType.JKK_DEATH, 1, 1, (1, None)),  # JKK: no minimum period
        (ClaimType.JKK_TOTAL_DISABILITY, 0, 2, (2, None)),
        (ClaimType.JKK_STMB, 60, 2, (0, Refusal.SCHOLARSHIP_NO_TRIGGER)),
    ],
)
def test_scholarship_children_eligible(
    trigger: ClaimType, paid_months: int, children: int, expected: tuple[int, Refusal | None]
) -> None:
    assert (
        rules.scholarship_children_eligible(trigger=trigger, paid_months=paid_months, children=children)
        == expected
    )


# Issue #14: the report form asks each claim type only for what its benefit needs (PP 82/2019 Lampiran III):
# STMB is paid per day off work, transport by mode and ticket, medical care and home care at the bills (home care
# also per day), aids at the receipt, partial disability by the table's parts or the doctor's percentage; death
# and total disability are lump sums; JKM needs nothing but the event. Any JKK may be an occupational disease.
@pytest.mark.parametrize(
    ("claim_type", "fields"),
    [
        ("jkm", set()),
        ("jkk_death", {"occupational_disease", "diagnosis_date"}),
        ("jkk_total_disability", {"occupational_disease", "diagnosis_date"}),
        (
            "jkk_partial_disability",
            {"occupational_disease", "diagnosis_date", "part", "left_handed", "percent"},
        ),
        ("jkk_stmb", {"occupational_disease", "diagnosis_date", "days"}),
        ("jkk_transport", {"occupational_disease", "diagnosis_date", "mode", "amount"}),
        ("jkk_medical", {"occupational_disease", "diagnosis_date", "amount"}),
        ("jkk_home_care", {"occupational_disease", "diagnosis_date", "days", "amount"}),
        ("jkk_aids", {"occupational_disease", "diagnosis_date", "aid", "amount"}),
    ],
)
def test_each_claim_type_asks_only_for_its_fields(claim_type: str, fields: set[str]) -> None:
    from jaring.claims.rules import CLAIM_FIELDS, ClaimType  # noqa: PLC0415

    assert CLAIM_FIELDS[ClaimType(claim_type)] == fields
    assert set(CLAIM_FIELDS) == set(ClaimType) - {ClaimType.SCHOLARSHIP}
