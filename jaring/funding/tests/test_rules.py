"""Funding rules as tables of cases. Sources: issue #5 and domain rules sections 1-2 (sponsorship is temporary,
no worker-month paid twice, levels village-regency-province-CSR-donor); PP 50/2025 for the priced months."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.contributions.rules import PayerType
from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.rules import Candidate, Eligibility, Priority, Reason

NOV = Period(2026, 11)
FARMER = Candidate(occupation="petani", ecosystem="rentan", birth_date=dt.date(1985, 4, 12), decile=2)


@pytest.mark.parametrize(
    ("conditions", "worker", "expected"),
    [
        (Eligibility(), FARMER, None),  # no conditions: everyone in the region
        (Eligibility(occupations=frozenset({"nelayan"})), FARMER, Reason.OCCUPATION),
        (Eligibility(occupations=frozenset({"petani", "nelayan"})), FARMER, None),
        (Eligibility(ecosystems=frozenset({"desa"})), FARMER, Reason.ECOSYSTEM),
        (Eligibility(age_min=18, age_max=41), FARMER, None),  # 41 on 1 Nov 2026 (born April 1985)
        (Eligibility(age_max=40), FARMER, Reason.AGE),
        (Eligibility(age_min=42), FARMER, Reason.AGE),
        (Eligibility(age_min=18), Candidate("petani", "rentan", None, 2), Reason.BIRTH_DATE_UNKNOWN),
        (Eligibility(decile_max=4), FARMER, None),  # DTSEN decile 2: among the poorest
        (Eligibility(decile_max=1), FARMER, Reason.DECILE),
        (
            Eligibility(decile_max=4),
            Candidate("petani", "rentan", dt.date(1985, 4, 12), None),
            Reason.DECILE_UNKNOWN,
        ),
        # "only workers not yet covered": someone paying their own way is not a sponsor's target
        (
            Eligibility(only_uncovered=True),
            Candidate("petani", "rentan", None, 2, pays_own_way=True),
            Reason.ALREADY_COVERED,
        ),
        (Eligibility(only_uncovered=False), Candidate("petani", "rentan", None, 2, pays_own_way=True), None),
        # the order of the checks: occupation is reported before age
        (Eligibility(occupations=frozenset({"nelayan"}), age_max=20), FARMER, Reason.OCCUPATION),
    ],
)
def test_exclusion_reason(conditions: Eligibility, worker: Candidate, expected: Reason | None) -> None:
    assert rules.exclusion_reason(rules=conditions, worker=worker, first_period=NOV) == expected


@pytest.mark.parametrize(
    ("birth", "period", "age"),
    [
        (dt.date(1985, 11, 1), Period(2026, 11), 41),  # birthday on the first day of the month counts
        (dt.date(1985, 11, 2), Period(2026, 11), 40),
        (dt.date(1985, 10, 31), Period(2026, 11), 41),
        (dt.date(2008, 12, 1), Period(2026, 11), 17),
    ],
)
def test_age_on_the_first_day_of_the_month(birth: dt.date, period: Period, age: int) -> None:
    assert rules.age_at(birth, period) == age


def test_default_precedence_is_village_regency_province_national_csr_donor() -> None:
    order = [p.value for p in rules.DEFAULT_PRECEDENCE]
    ranks = [
        rules.precedence_rank(t, order)
        for t in ("apbdes", "apbd_kabkota", "apbd_provinsi", "apbn", "csr", "donor")
    ]
    assert ranks == sorted(ranks) and len(set(ranks)) == 6
    assert rules.precedence_rank(PayerType.MANDIRI, order) == len(order)  # unknown types go last


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("apbdes,apbd_kabkota,apbd_provinsi,apbn,csr,donor,baznas", True),
        ("csr,apbdes", True),
        ("csr,csr", False),  # repeated
        ("csr,mandiri", False),  # a worker is not a sponsor
        ("csr,pemda", False),
    ],
)
def test_precedence_setting_is_checked(text: str, ok: bool) -> None:
    if ok:
        assert rules.precedence_parse(text) == tuple(text.split(","))
    else:
        with pytest.raises(ValueError):
            rules.precedence_parse(text)


@pytest.mark.parametrize(
    ("priority", "people", "order"),
    [
        # poorest first (decile 1 before 3, unknown last), then earliest registered
        (Priority.POOREST, [(3, 1), (1, 2), (None, 3), (1, 4)], [2, 4, 1, 3]),
        (Priority.EARLIEST, [(3, 1), (1, 2), (None, 3), (1, 4)], [1, 2, 3, 4]),
    ],
)
def test_priority_order(priority: Priority, people: list[tuple[int | None, int]], order: list[int]) -> None:
    ranked = sorted(people, key=lambda p: rules.priority_key(priority=priority, decile=p[0], registered=p[1]))
    assert [p[1] for p in ranked] == order


@pytest.mark.parametrize(
    ("costs", "budget", "quota", "expected"),
    [
        ([100_800] * 3, 302_400, None, [None, None, None]),  # exactly the budget: all funded
        ([100_800] * 3, 302_399, None, [None, None, Reason.BUDGET]),  # one rupiah short: the third waits
        ([100_800] * 3, 1_000_000, 2, [None, None, Reason.MAX_WORKERS]),
        # nobody jumps the queue because they are cheaper: after the first who waits, all wait
        ([50_400, 201_600, 50_400], 120_000, None, [None, Reason.BUDGET, Reason.BUDGET]),
        ([], 0, None, []),
    ],
)
def test_fits_never_exceeds_budget_or_quota(
    costs: list[int], budget: int, quota: int | None, expected: list[Reason | None]
) -> None:
    assert rules.fits(costs_in_order=costs, budget_left=budget, max_workers_left=quota) == expected


@given(st.lists(st.integers(min_value=1, max_value=500_000), max_size=40), st.integers(0, 5_000_000))
def test_fits_property_funded_total_within_budget_and_a_prefix(costs: list[int], budget: int) -> None:
    out = rules.fits(costs_in_order=costs, budget_left=budget, max_workers_left=None)
    funded = [c for c, r in zip(costs, out, strict=True) if r is None]
    assert sum(funded) <= budget
    assert out == [None] * len(funded) + [Reason.BUDGET] * (len(costs) - len(funded))


@pytest.mark.parametrize(
    ("months", "runs"),
    [
        ([1, 2, 3], [(1, 3)]),
        ([1, 2, 3, 7, 8], [(1, 3), (7, 8)]),
        ([5], [(5, 5)]),
        ([], []),
        ([3, 1, 2, 2], [(1, 3)]),
    ],
)
def test_month_runs(months: list[int], runs: list[tuple[int, int]]) -> None:
    assert rules.month_runs(months) == runs


def test_plan_cost_and_workers_affordable() -> None:
    # APBD pays Rp 16,800 a month (no PP 50/2025 discount): 12 months for 86,000 Kab. Tangerang workers
    plan = rules.plan_cost(month_costs=[16_800] * 12, workers=86_000)
    assert (plan.cost_per_worker, plan.total) == (201_600, 17_337_600_000)
    assert rules.workers_affordable(budget=17_337_600_000, cost_per_worker=201_600) == 86_000
    assert rules.workers_affordable(budget=17_337_599_999, cost_per_worker=201_600) == 85_999
    with pytest.raises(ValueError):
        rules.workers_affordable(budget=1, cost_per_worker=0)


@pytest.mark.parametrize(
    ("last", "today", "expected"),
    [
        (Period(2026, 12), dt.date(2026, 11, 21), True),  # ends 31 Dec: 40 days away
        (Period(2027, 1), dt.date(2026, 11, 21), False),  # ends 31 Jan: 71 days away
        (Period(2026, 11), dt.date(2026, 11, 21), True),  # ends this month
        (Period(2026, 10), dt.date(2026, 11, 21), False),  # already ended
        (Period(2027, 1), dt.date(2026, 12, 2), True),  # 60 days exactly
    ],
)
def test_ending_soon_within_60_days(last: Period, today: dt.date, expected: bool) -> None:
    assert rules.ending_soon(last_period=last, today=today) is expected


def test_invitation_names_sponsor_month_and_amount() -> None:
    text = rules.invitation(
        name="Siti Aminah", sponsor="Pemkab Tangerang", last_period=Period(2026, 12), monthly=16_800
    )
    assert "Siti Aminah" in text and "Pemkab Tangerang" in text
    assert "Desember 2026" in text and "Januari 2027" in text and "Rp 16.800" in text


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        # Issue #12 (no silent zero): a run that funds nobody says why.
        ({"region_workers": 5, "assigned": 2}, None),
        ({"region_workers": 0}, "NO_WORKERS_IN_REGION"),
        ({"region_workers": 20, "excluded": {"not_member": 20}}, "ALL_EXCLUDED"),
        ({"region_workers": 20, "excluded": {"already_assigned": 20}}, "ALREADY_FUNDED"),
        ({"region_workers": 3, "waitlisted": {"budget_exhausted": 3}}, "BUDGET_EXHAUSTED"),
        (
            {"region_workers": 3, "excluded": {"funded_by_other_program": 3}, "budget_left": 0},
            "BUDGET_EXHAUSTED",
        ),
        (
            {"region_workers": 4, "excluded": {"membership_ended": 1, "occupation_not_eligible": 3}},
            "ALL_EXCLUDED",
        ),
    ],
)
def test_a_run_that_funds_nobody_says_why(kw: dict[str, object], code: str | None) -> None:
    args: dict[str, object] = {
        "assigned": 0,
        "excluded": {},
        "waitlisted": {},
        "budget_left": 1_000_000,
        **kw,
    }
    why = rules.nobody_funded(**args)  # type: ignore[arg-type]  # the table's values are the keyword types
    assert (why.code if why else None) == code
    if why and kw.get("excluded") and why.code != "ALREADY_FUNDED":
        excluded = kw["excluded"]
        assert isinstance(excluded, dict)
        for reason, n in excluded.items():  # each cause named with its count, in words
            assert f"{n:,} {rules.REASON_LABELS[Reason(reason)].lower()}" in why.message
            assert rules.REASON_LABELS_EN[Reason(reason)] in why.message_en
