"""The budget planner: what N workers for M months cost, or whom a budget covers, month by month."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from django.conf import settings

from jaring.contributions.rules import PayerType
from jaring.contributions.selectors import contribution_quote, due_table
from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.core.types import Period
from jaring.funding import rules

# ------------------------------------------------------------------------------------- planner


def plan_month_costs(
    *,
    payer_type: PayerType,
    first_period: Period,
    months: int,
    income: int | None = None,
    sector: str = "other",
    jht: bool = False,
) -> list[int]:
    """One worker's contribution for each month of a plan, by the contribution rules in force that month."""
    income = income if income is not None else settings.JARING["DEFAULT_INCOME_TIER"]
    combos = pl.DataFrame({
        "income": [income] * months, "sector": [sector] * months, "payer_type": [payer_type.value] * months,
        "jht": [jht] * months, "period": [str(first_period.plus(i)) for i in range(months)],
    })  # fmt: skip
    prices = due_table(combos)
    by_period = dict(
        zip(prices.get_column("period").to_list(), prices.get_column("amount").to_list(), strict=True)
    )
    return [int(by_period[str(first_period.plus(i))]) for i in range(months)]


@dataclass(frozen=True)
class PlanMonth:
    period: str
    amount: int


@dataclass(frozen=True)
class BudgetPlan:
    payer_type: str
    first_period: str
    months: int
    income: int
    sector: str
    jht: bool
    per_month: list[PlanMonth]
    cost_per_worker: int
    workers: int | None
    total: int | None
    budget: int | None
    workers_covered: int | None
    sources: list[str] = field(default_factory=list)


def budget_plan(
    *,
    payer_type: PayerType,
    months: int,
    first_period: Period,
    workers: int | None = None,
    budget: int | None = None,
    income: int | None = None,
    sector: str = "other",
    jht: bool = False,
) -> BudgetPlan:
    """ "What does covering N workers for M months cost" and "how many workers does this budget cover", priced
    month by month by the contribution rules (the PP 50/2025 discount where it applies)."""
    if not 1 <= months <= 60:
        raise ValidationFailed("Lama rencana 1-60 bulan.", code=ErrorCode.MONTHS_INVALID, field="months")
    if workers is None and budget is None:
        raise ValidationFailed(
            "Isi jumlah pekerja atau anggaran.", code=ErrorCode.PLAN_INPUT_MISSING, field="workers"
        )
    if workers is not None and workers < 0:
        raise ValidationFailed(
            "Jumlah pekerja tidak boleh negatif.", code=ErrorCode.WORKERS_INVALID, field="workers"
        )
    if budget is not None and budget < 0:
        raise ValidationFailed("Anggaran tidak boleh negatif.", code=ErrorCode.BUDGET_INVALID, field="budget")
    if sector not in ("transport", "other"):
        raise ValidationFailed("Sektor: transport atau other.", code=ErrorCode.SECTOR_UNKNOWN, field="sector")
    income = income if income is not None else settings.JARING["DEFAULT_INCOME_TIER"]
    # The rules validate the income (tiers) and the payer type: one quote says why a plan cannot be priced.
    quote = contribution_quote(
        income=income, period=first_period, payer_type=payer_type, sector=sector, jht=jht
    )
    costs = plan_month_costs(payer_type=payer_type, first_period=first_period, months=months, income=income,
                             sector=sector, jht=jht)  # fmt: skip
    plan = rules.plan_cost(month_costs=costs, workers=workers or 0)
    covered = (
        rules.workers_affordable(budget=budget, cost_per_worker=plan.cost_per_worker)
        if budget is not None
        else None
    )
    return BudgetPlan(
        payer_type=payer_type.value, first_period=str(first_period), months=months, income=income, sector=sector,
        jht=jht, per_month=[PlanMonth(str(first_period.plus(i)), c) for i, c in enumerate(costs)],
        cost_per_worker=plan.cost_per_worker, workers=workers, total=plan.total if workers is not None else None,
        budget=budget, workers_covered=covered, sources=sorted({str(r.get("source", "")) for r in quote.rows} - {""}),
    )  # fmt: skip
