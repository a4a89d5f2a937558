"""The allocation engine (issue #5): Polars frames in, frames out, like linkage/engine.py. It knows programs,
workers' free months as bit masks, and prices; it reads and writes no database (funding.services.allocation
does, around it). A run's months are bits of one Int64 (bit 0 = the window's first month)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.rules import Reason

MASK_MONTHS = 62  # a run's months are bits of one Int64: programs spanning more are allocated in turns


def mask(first: int, last: int, lo: int) -> int:
    """Months first..last (Period indexes) as bits, bit 0 = month `lo`."""
    return ((1 << (last - first + 1)) - 1) << (first - lo)


def bits(mask: int, lo: int) -> list[int]:
    out, i = [], 0
    while mask:
        if mask & 1:
            out.append(lo + i)
        mask >>= 1
        i += 1
    return out


def month_index(col: str) -> pl.Expr:
    """`YYYY-MM` text as Period.index."""
    return pl.col(col).str.slice(0, 4).cast(pl.Int64) * 12 + pl.col(col).str.slice(5, 2).cast(pl.Int64) - 1


def period_at(index: int) -> Period:
    return Period(index // 12, index % 12 + 1)


def period_str(col: str) -> pl.Expr:
    return (
        (pl.col(col) // 12).cast(pl.String).str.zfill(4)
        + "-"
        + (pl.col(col) % 12 + 1).cast(pl.String).str.zfill(2)
    )


PRICE_KEYS = ["income", "sector", "payer_type", "jht"]


class Prices:
    """Each worker-month priced by the contribution rules: `table` holds every distinct (income, sector, payer
    type, JHT) priced once per month of the window (PRICE_KEYS, period, amount); a mask's cost is summed from
    those."""

    def __init__(self, table: pl.DataFrame | None, lo: int) -> None:
        self.lo = lo
        self.by = {} if table is None else {
            (i, s, t, j, Period.parse(p).index): a
            for i, s, t, j, p, a in table.select(*PRICE_KEYS, "period", "amount").iter_rows()
        }  # fmt: skip

    def runs(self, frame: pl.DataFrame, col: str) -> pl.DataFrame:
        """For each distinct (price keys, mask) in `frame`: its runs of consecutive months with their cost, as
        lists (first, last, months, cost), and the mask's total cost and months."""
        rows = []
        for i, s, t, j, mask in frame.select(*PRICE_KEYS, col).unique().iter_rows():
            runs = rules.month_runs(bits(mask, self.lo))
            costs = [sum(self.by[(i, s, t, j, m)] for m in range(a, b + 1)) for a, b in runs]
            rows.append((i, s, t, j, mask, [a for a, _ in runs], [b for _, b in runs],
                         [b - a + 1 for a, b in runs], costs, sum(costs), sum(b - a + 1 for a, b in runs)))  # fmt: skip
        return pl.DataFrame(
            rows,
            schema={"income": pl.Int64, "sector": pl.String, "payer_type": pl.String, "jht": pl.Boolean,
                    col: pl.Int64, "run_first": pl.List(pl.Int64), "run_last": pl.List(pl.Int64),
                    "run_months": pl.List(pl.Int64), "run_cost": pl.List(pl.Int64), "cost": pl.Int64,
                    "months": pl.Int64},
            orient="row",
        )  # fmt: skip


def exclusion_frame(pairs: pl.DataFrame) -> pl.DataFrame:
    """The vectorised `rules.exclusion_reason`: `pairs` carries the worker's and the program's columns; adds
    `reason` (null: eligible). Its tests compare it with the pure rule."""
    age = (
        pl.col("first_year") - pl.col("birth_year")
        - ((pl.col("first_month") < pl.col("birth_month"))
           | ((pl.col("first_month") == pl.col("birth_month")) & (pl.col("birth_day") > 1))).cast(pl.Int32)
    )  # fmt: skip
    age_rule = pl.col("age_min").is_not_null() | pl.col("age_max").is_not_null()
    return pairs.with_columns(
        pl.when((pl.col("occupations").list.len() > 0) & ~pl.col("occupations").list.contains(pl.col("occupation")))
        .then(pl.lit(Reason.OCCUPATION.value))
        .when((pl.col("ecosystems").list.len() > 0) & ~pl.col("ecosystems").list.contains(pl.col("ecosystem")))
        .then(pl.lit(Reason.ECOSYSTEM.value))
        .when(age_rule & pl.col("birth_year").is_null())
        .then(pl.lit(Reason.BIRTH_DATE_UNKNOWN.value))
        .when(age_rule & ((age < pl.col("age_min")).fill_null(False) | (age > pl.col("age_max")).fill_null(False)))
        .then(pl.lit(Reason.AGE.value))
        .when(pl.col("decile_max").is_not_null() & pl.col("decile").is_null())
        .then(pl.lit(Reason.DECILE_UNKNOWN.value))
        .when((pl.col("decile") > pl.col("decile_max")).fill_null(False))
        .then(pl.lit(Reason.DECILE.value))
        .when(pl.col("only_uncovered") & pl.col("pays_own_way"))
        .then(pl.lit(Reason.ALREADY_COVERED.value))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("reason")
    )  # fmt: skip


@dataclass
class Assignment:
    won: (
        pl.DataFrame | None
    )  # program_id, worker_id, free (the months funded), PRICE_KEYS, rank, cost, months
    waits: pl.DataFrame | None  # program_id, worker_id, reason (budget/quota), rank, months, cost
    elsewhere: list[pl.DataFrame]  # program_id, worker_id, reason: workers another program took in the end


def assign(claims: pl.DataFrame, progs: pl.DataFrame, prices: Prices) -> Assignment:
    """Give each worker's free months to programs in precedence order within their budgets and quotas.

    `claims`: program_id, worker_id, key (precedence * 1e9 + program_id), free (mask), PRICE_KEYS, p1 (priority).
    `progs`: program_id, budget_left, max_left. Nobody jumps the queue because they are cheaper."""
    elsewhere: list[pl.DataFrame] = []
    budget = dict(zip(progs["program_id"].to_list(), progs["budget_left"].to_list(), strict=True))
    quota = dict(zip(progs["program_id"].to_list(), progs["max_left"].to_list(), strict=True))
    offset = dict.fromkeys(budget, 0)
    won_parts, wait_parts = [], []
    while claims.height:
        # Each worker goes first to the program of highest precedence (then the older program) among those still
        # wanting some of their months; it takes the months still free. Each program takes its candidates in
        # priority order while budget and quota last; what it leaves goes to the next program in later rounds.
        top = claims.filter(pl.col("key") == pl.col("key").min().over("worker_id"))
        costs = prices.runs(top, "free")
        per = (
            top.join(costs.select(*PRICE_KEYS, "free", "cost", "months"), on=[*PRICE_KEYS, "free"])
            .sort("program_id", "p1", "worker_id")
            .with_columns(pl.col("cost").cum_sum().over("program_id").alias("cum"),
                          (pl.int_range(pl.len()).over("program_id") + 1).alias("n"))
            .with_columns(pl.col("program_id").replace_strict(budget, return_dtype=pl.Int64).alias("left"),
                          pl.col("program_id").replace_strict(quota, return_dtype=pl.Int64, default=None).alias("quota"),
                          pl.col("program_id").replace_strict(offset, return_dtype=pl.Int64).alias("offset"))
            .with_columns(
                pl.when(pl.col("quota").is_not_null() & (pl.col("n") > pl.col("quota")))
                .then(pl.lit(Reason.MAX_WORKERS.value))
                .when(pl.col("cum") > pl.col("left")).then(pl.lit(Reason.BUDGET.value))
                .otherwise(pl.lit(None, dtype=pl.String)).alias("reason"),
                (pl.col("n") + pl.col("offset")).alias("rank"),
            )
        )  # fmt: skip
        won = per.filter(pl.col("reason").is_null())
        won_parts.append(won.select("program_id", "worker_id", "free", *PRICE_KEYS, "rank", "cost", "months"))
        wait_parts.append(per.filter(pl.col("reason").is_not_null()).select(
            "program_id", "worker_id", "reason", "rank", "months", "cost"))  # fmt: skip
        for pid, cost, n in won.group_by("program_id").agg(pl.col("cost").sum(), pl.len()).iter_rows():
            budget[pid] -= cost
            if quota[pid] is not None:
                quota[pid] -= n
        for pid, n in per.group_by("program_id").len().iter_rows():
            offset[pid] += n
        claims = (
            claims.join(top.select("program_id", "worker_id"), on=["program_id", "worker_id"], how="anti")
            .join(won.select("worker_id", pl.col("free").alias("got")), on="worker_id", how="left")
            .with_columns((pl.col("free") & ~pl.col("got").fill_null(0)).alias("free"))
            .drop("got")
        )  # fmt: skip
        gone = claims.filter(pl.col("free") == 0)
        if gone.height:
            elsewhere.append(
                gone.select("program_id", "worker_id", pl.lit(Reason.FUNDED_ELSEWHERE.value).alias("reason"))
            )
            claims = claims.filter(pl.col("free") != 0)
    won_all = pl.concat(won_parts) if won_parts else None
    waits = pl.concat(wait_parts) if wait_parts else None
    if waits is not None and won_all is not None:
        # A worker one program could not fund and another did is, for the first, funded elsewhere: its waiting
        # list keeps only the people still waiting.
        funded = won_all.select("worker_id").unique()
        elsewhere.append(waits.join(funded, on="worker_id", how="semi").select(
            "program_id", "worker_id", pl.lit(Reason.FUNDED_ELSEWHERE.value).alias("reason")))  # fmt: skip
        waits = waits.join(funded, on="worker_id", how="anti")
    return Assignment(won_all, waits, elsewhere)
