"""The coverage cube (issue #15): frames in (workers, bill lines, claims), the figures of every region at every
level for one month out. Polars only; the refresh service reads the frames and writes the rows.

Per worker and month, from the ledger (docs/decisions/0015):
- registered: the worker is in the registry by that month (its record's month, or its first billed month if
  earlier: lists registered today may bring months already billed);
- members: a bill line for the month exists (billing bills exactly the active members);
- covered / arrears / lapsed: that line paid / open / lapsed (members = covered + arrears + lapsed);
- new: the month is the worker's first billed month; renewed: covered this month and the month before;
  stopped: covered the month before, not this month."""

from __future__ import annotations

import polars as pl

COUNTS = (
    "registered", "members", "covered", "arrears", "lapsed", "new", "renewed", "stopped", "billed_amount",
    "paid_amount", "claims_filed", "claims_paid", "claims_paid_amount",
)  # fmt: skip
# Splits: a worker's own attribute, or the payer of the month's line (a worker without a line has no payer).
DIMENSIONS = {"occupation": "occupation", "ecosystem": "ecosystem", "payer_type": "payer_type",
              "sponsor": "sponsor_ref"}  # fmt: skip
WORKER_DIMENSIONS = ("occupation", "ecosystem")
# Region code lengths of each level, village first: district 36.03.01, regency 36.03, province 36, nation "".
LEVELS = ((4, 13), (3, 8), (2, 5), (1, 2), (0, 0))

WORKERS_SCHEMA = {"worker_id": pl.Int64, "village_code": pl.String, "occupation": pl.String,
                  "ecosystem": pl.String, "created_period": pl.String}  # fmt: skip
FIRSTS_SCHEMA = {"worker_id": pl.Int64, "first_billed": pl.String}
LINES_SCHEMA = {"worker_id": pl.Int64, "period": pl.String, "status": pl.String, "amount": pl.Int64,
                "payer_type": pl.String, "sponsor_ref": pl.String}  # fmt: skip
CLAIMS_SCHEMA = {"worker_id": pl.Int64, "reported_period": pl.String, "paid_period": pl.String,
                 "total": pl.Int64}  # fmt: skip
CUBE_KEYS = ("village_code", "occupation", "ecosystem", "payer_type", "sponsor_ref")


def previous(period: str) -> str:
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def month_cube(
    *, period: str, workers: pl.DataFrame, firsts: pl.DataFrame, lines: pl.DataFrame, claims: pl.DataFrame
) -> pl.DataFrame:
    """One month's figures per village and combination of splits (the cube the roll-up sums)."""
    since = workers.join(firsts, on="worker_id", how="left").with_columns(
        pl.min_horizontal("created_period", pl.col("first_billed").fill_null("9999-12")).alias("since")
    )
    present = since.filter(pl.col("since") <= period)
    now = lines.filter(pl.col("period") == period).drop("period")
    before = lines.filter(pl.col("period") == previous(period)).select(
        "worker_id", pl.col("status").alias("before")
    )
    facts = (
        present.join(now, on="worker_id", how="left")
        .join(before, on="worker_id", how="left")
        .with_columns(
            pl.lit(1).alias("registered"),
            pl.col("status").is_not_null().cast(pl.Int64).alias("members"),
            (pl.col("status") == "paid").fill_null(False).cast(pl.Int64).alias("covered"),
            (pl.col("status") == "open").fill_null(False).cast(pl.Int64).alias("arrears"),
            (pl.col("status") == "lapsed").fill_null(False).cast(pl.Int64).alias("lapsed"),
            (pl.col("first_billed") == period).fill_null(False).cast(pl.Int64).alias("new"),
            ((pl.col("status") == "paid") & (pl.col("before") == "paid"))
            .fill_null(False)
            .cast(pl.Int64)
            .alias("renewed"),
            ((pl.col("before") == "paid") & (pl.col("status") != "paid").fill_null(True))
            .fill_null(False)
            .cast(pl.Int64)
            .alias("stopped"),
            pl.col("amount").fill_null(0).alias("billed_amount"),
            pl.when(pl.col("status") == "paid")
            .then(pl.col("amount"))
            .otherwise(0)
            .fill_null(0)
            .alias("paid_amount"),
            pl.col("payer_type").fill_null(""),
            pl.col("sponsor_ref").fill_null(""),
        )  # fmt: skip
    )
    month_claims = claims.filter((pl.col("reported_period") == period) | (pl.col("paid_period") == period))
    claim_facts = (
        workers.join(month_claims, on="worker_id", how="inner").with_columns(
            (pl.col("reported_period") == period).cast(pl.Int64).alias("claims_filed"),
            (pl.col("paid_period") == period).fill_null(False).cast(pl.Int64).alias("claims_paid"),
            pl.when(pl.col("paid_period") == period)
            .then(pl.col("total"))
            .otherwise(0)
            .fill_null(0)
            .alias("claims_paid_amount"),
            pl.lit("").alias("payer_type"),
            pl.lit("").alias("sponsor_ref"),
        )  # fmt: skip
    )
    sums = [pl.col(c).sum().cast(pl.Int64) for c in COUNTS]
    frames = [facts, claim_facts]
    return pl.concat(
        [f.with_columns([pl.lit(0).alias(c) for c in COUNTS if c not in f.columns]).select(*CUBE_KEYS, *COUNTS)
         for f in frames],
        how="vertical_relaxed",
    ).group_by(CUBE_KEYS).agg(sums)  # fmt: skip


def rollup(cube: pl.DataFrame, *, period: str) -> pl.DataFrame:
    """The cube summed to every level (village, district, regency, province, nation) in total and per split:
    columns region_code, level, period, dimension, key and the counts."""
    out = []
    sums = [pl.col(c).sum().cast(pl.Int64) for c in COUNTS]
    for dimension in ("", *DIMENSIONS):
        column = DIMENSIONS.get(dimension)
        base = cube.select("village_code", (pl.col(column) if column else pl.lit("")).alias("key"), *COUNTS)
        if column:  # a split counts only what has a key (a payer: the workers billed that month)
            base = base.filter(pl.col("key") != "")
        frame = base.group_by("village_code", "key").agg(sums).rename({"village_code": "region_code"})
        for level, width in LEVELS:
            if level < 4:
                frame = frame.with_columns(pl.col("region_code").str.slice(0, width)).group_by(
                    "region_code", "key"
                ).agg(sums)  # fmt: skip
            out.append(frame.with_columns(pl.lit(level).alias("level"), pl.lit(dimension).alias("dimension")))
    if not out:
        return pl.DataFrame()
    return (
        pl.concat(out, how="vertical_relaxed")
        .with_columns(pl.lit(period).alias("period"))
        .select("region_code", "level", "period", "dimension", "key", *COUNTS)
    )
