"""The benefits PP 82/2019 added or changed (domain rules section 3, corrected): the 5-year JKK right (from the
diagnosis for an occupational disease), home care (at most 1 year and Rp 20,000,000 per accident), aids and
rehabilitation (glasses Rp 1,000,000, hearing and other aids Rp 2,500,000, once per accident; prostheses at the
rehabilitation centre's price) and the schedule in force on the event day. Tables of cases citing the rule."""

from __future__ import annotations

import datetime as dt

import pytest

from jaring.claims import rules
from jaring.claims.rules import Aid, ClaimType, Facts, Refusal, Schedule

PAID = Facts(event_month_paid_on_time=True, paid_months=12)


@pytest.mark.parametrize(
    ("event", "diagnosis", "today", "lapsed"),
    [
        # PP 44/2015 Art. 26 as amended by PP 82/2019: 5 years after the accident
        (dt.date(2023, 6, 1), None, dt.date(2026, 6, 1), False),  # an accident three years ago: eligible
        (dt.date(2020, 6, 1), None, dt.date(2026, 6, 1), True),  # six years ago: lapsed
        (dt.date(2021, 6, 1), None, dt.date(2026, 6, 1), False),  # exactly 5 years: still within
        (dt.date(2021, 6, 1), None, dt.date(2026, 6, 2), True),
        (dt.date(2020, 2, 29), None, dt.date(2025, 2, 28), False),  # 29 February counts to 28 February
        # an occupational disease: 5 years after its diagnosis, however long ago the exposure began
        (dt.date(2018, 1, 10), dt.date(2023, 3, 1), dt.date(2026, 6, 1), False),
        (dt.date(2018, 1, 10), dt.date(2020, 3, 1), dt.date(2026, 6, 1), True),
        (dt.date(2018, 1, 10), dt.date(2021, 6, 1), dt.date(2026, 6, 1), False),
    ],
)
def test_the_jkk_right_lapses_five_years_after_the_accident_or_the_diagnosis(
    event: dt.date, diagnosis: dt.date | None, today: dt.date, lapsed: bool
) -> None:
    refusals, _ = rules.eligibility(claim=ClaimType.JKK_MEDICAL, event=event, reported=None, today=today,
                                    facts=PAID, diagnosis=diagnosis)  # fmt: skip
    assert (Refusal.JKK_RIGHT_LAPSED in refusals) == lapsed


def test_the_lapse_period_is_a_setting_of_the_schedule() -> None:
    two_years = Schedule(jkk_right_years=2)  # PP 44/2015 before its amendment
    refusals, _ = rules.eligibility(claim=ClaimType.JKK_STMB, event=dt.date(2023, 6, 1), reported=None,
                                    today=dt.date(2026, 6, 1), facts=PAID, schedule=two_years)  # fmt: skip
    assert refusals == [Refusal.JKK_RIGHT_LAPSED]
    assert "5 tahun" in rules.REFUSAL_TEXT[Refusal.JKK_RIGHT_LAPSED] and "PP 82/2019" in rules.REFUSAL_TEXT_EN[
        Refusal.JKK_RIGHT_LAPSED]  # fmt: skip


def test_the_schedule_in_force_on_the_event_day() -> None:
    old = Schedule(valid_from=dt.date(2015, 7, 1), jkk_right_years=2)
    new = Schedule()
    both = (old, new)
    assert rules.schedule_on(dt.date(2019, 12, 1), schedules=both) is old
    assert rules.schedule_on(dt.date(2019, 12, 2), schedules=both) is new
    assert rules.schedule_on(dt.date(2010, 1, 1), schedules=both) is old  # before the oldest: the oldest
    assert rules.schedule_on(dt.date(2026, 1, 1)).jkk_right_years == 5


# ------------------------------------------------------------------------------------------ home care


@pytest.mark.parametrize(
    ("amount", "days", "used_days", "used_amount", "paid"),
    [
        (5_000_000, 30, 0, 0, 5_000_000),  # the bills, within the year and the Rp 20 m
        (25_000_000, 200, 0, 0, 20_000_000),  # at most Rp 20,000,000 in all
        (
            10_000_000,
            400,
            0,
            0,
            9_125_000,
        ),  # at most 1 year: 365 of 400 days' bills (decision 0012: pro rata)
        (6_500_000, 100, 300, 0, 4_225_000),  # 65 days of the year left
        (5_000_000, 30, 30, 18_000_000, 2_000_000),  # Rp 2 m of the 20 m left
        (12_000_000, 130, 300, 15_000_000, 5_000_000),  # both: 65/130 of 12 m = 6 m, then 5 m left
        (20_000_000, 365, 0, 0, 20_000_000),  # exactly the year and the cap
    ],
)
def test_home_care_at_most_one_year_and_20_million(amount: int, days: int, used_days: int, used_amount: int,
                                                   paid: int) -> None:  # fmt: skip
    lines = rules.home_care_benefit(amount=amount, days=days, used_days=used_days, used_amount=used_amount)
    assert rules.total(lines) == paid
    assert (
        lines[0].amount == amount and "PP 82/2019" in lines[0].basis
    )  # the bills, then each cap its own line
    caps = lines[1:]
    assert bool(caps) == (paid < amount) and all(
        cap.amount < 0 and cap.item.startswith("Batas") for cap in caps
    )


@pytest.mark.parametrize(
    ("facts", "refused"),
    [
        (Facts(True, 12, home_care_days=364, home_care_paid=19_999_999), False),
        (Facts(True, 12, home_care_days=365), True),  # the year is used
        (Facts(True, 12, home_care_paid=20_000_000), True),  # the Rp 20 m is used
    ],
)
def test_home_care_used_up_is_refused(facts: Facts, refused: bool) -> None:
    refusals, _ = rules.eligibility(claim=ClaimType.JKK_HOME_CARE, event=dt.date(2026, 10, 1), reported=None,
                                    today=dt.date(2026, 12, 1), facts=facts)  # fmt: skip
    assert (Refusal.HOME_CARE_USED_UP in refusals) == refused


# ----------------------------------------------------------------------------------------------- aids


@pytest.mark.parametrize(
    ("aid", "amount", "paid"),
    [
        (Aid.GLASSES, 800_000, 800_000),
        (Aid.GLASSES, 1_500_000, 1_000_000),  # replacement glasses at most Rp 1,000,000
        (Aid.HEARING, 3_000_000, 2_500_000),  # hearing aids at most Rp 2,500,000
        (Aid.OTHER, 2_500_000, 2_500_000),  # other aids at most Rp 2,500,000
        (Aid.PROSTHESIS, 15_000_000, 15_000_000),  # prostheses at the rehabilitation centre's price
    ],
)
def test_aids_capped_and_the_cap_shown(aid: Aid, amount: int, paid: int) -> None:
    lines = rules.aid_benefit(aid=aid, amount=amount)
    assert rules.total(lines) == paid and lines[0].amount == amount
    if paid < amount:
        assert len(lines) == 2 and lines[1].amount == paid - amount and "Batas" in lines[1].item


@pytest.mark.parametrize(
    ("aid", "claimed", "refused"),
    [
        (Aid.GLASSES, frozenset({"glasses"}), True),  # once per worker and accident
        (Aid.HEARING, frozenset({"glasses"}), False),  # another kind of aid
        (Aid.PROSTHESIS, frozenset({"prosthesis"}), False),  # a prosthesis at the centre's price, as needed
    ],
)
def test_an_aid_once_per_accident(aid: Aid, claimed: frozenset[str], refused: bool) -> None:
    refusals, _ = rules.eligibility(claim=ClaimType.JKK_AIDS, event=dt.date(2026, 10, 1), reported=None,
                                    today=dt.date(2026, 12, 1), facts=Facts(True, 12, aids_claimed=claimed),
                                    aid=aid)  # fmt: skip
    assert (Refusal.AID_ALREADY_GIVEN in refusals) == refused


def test_new_types_are_jkk_and_need_their_documents() -> None:
    assert {ClaimType.JKK_HOME_CARE, ClaimType.JKK_AIDS} <= rules.JKK_TYPES
    assert rules.missing_documents(claim=ClaimType.JKK_AIDS, present={"id_card"}) == ["accident_report",
                                                                                      "medical_bill"]  # fmt: skip
