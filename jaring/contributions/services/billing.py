"""Monthly billing runs: lapse what can no longer be paid, end memberships, one bill per payer and
cycle, a frozen line per worker-month; set-based and idempotent."""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jaring.contributions import rules
from jaring.contributions.models import (
    BillingRun,
)
from jaring.contributions.selectors import due_table
from jaring.contributions.services.common import ASSIGNMENT, BILL, LINE, MEMBERSHIP, PAYER, WORKER, _analyze
from jaring.contributions.services.payers import _mandiri_payers_create
from jaring.contributions.services.settlement import _settle_from_credit
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import db_datetime, insert_frame, read_frame
from jaring.core.changes import coverage_touched
from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.core.types import Period
from jaring.registry.services import memberships_end

# ------------------------------------------------------------------------------------- billing


@dataclass
class BillingResult:
    run: BillingRun
    bills: int = 0
    lines: int = 0
    amount_total: int = 0
    settled_lines: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)


def _lapse(
    *, as_of: Period, payer_ids_sql: str = "", worker_ids_sql: str = "", params: list[Any] | None = None
) -> tuple[int, int]:
    """Months that can no longer be paid lapse; a member with more than 3 consecutive unpaid months ends
    (Perdir 22/2022, rules.membership_standing). Returns (lines lapsed, memberships ended)."""
    params = params or []
    limit = str(as_of.plus(-rules.GRACE_MONTHS))  # a month older than this is past its last payable month
    scope = f" AND payer_id IN ({payer_ids_sql})" if payer_ids_sql else ""
    scope += f" AND worker_id IN ({worker_ids_sql})" if worker_ids_sql else ""
    window_from = str(as_of.plus(-(rules.GRACE_MONTHS + 1)))
    # Four unpaid months just before `as_of`, at least one of them still open (all lapsed: the membership
    # already ended then, and it is active now because it was re-activated after them).
    run_sql = (
        f"SELECT worker_id FROM {LINE} WHERE period >= %s AND period < %s AND status <> 'paid'{scope} "
        f"GROUP BY worker_id HAVING COUNT(*) = {rules.GRACE_MONTHS + 1} "
        f"AND SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) > 0"
    )
    run_params = [window_from, str(as_of), *params]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS jaring_ending")
        cursor.execute(f"CREATE TEMPORARY TABLE jaring_ending AS {run_sql}", run_params)
        _analyze(cursor, "jaring_ending")
        # RETURNING: the months that lapsed, for the coverage figures (issue #15), without a second scan
        cursor.execute(
            f"UPDATE {LINE} SET status = 'lapsed' WHERE status = 'open' AND period < %s "
            f"AND worker_id IN (SELECT worker_id FROM jaring_ending) RETURNING period",
            [str(as_of)],
        )
        months = [row[0] for row in cursor.fetchall()]
        ended_lines = len(months)
        ended = memberships_end(worker_ids_sql="SELECT worker_id FROM jaring_ending")
        cursor.execute("DROP TABLE jaring_ending")
        cursor.execute(
            f"UPDATE {LINE} SET status = 'lapsed' WHERE status = 'open' AND period < %s{scope} RETURNING period",
            [limit, *params],
        )
        later = [row[0] for row in cursor.fetchall()]
        lapsed = len(later) + ended_lines
    coverage_touched({*months, *later})
    return lapsed, ended


def _billable(*, period: Period, worker_ids_sql: str, params: list[Any]) -> pl.DataFrame:
    """Worker-months to bill in `period`: each active member with the payer of that month and its cycle."""
    only = f" AND w.id IN ({worker_ids_sql})" if worker_ids_sql else ""
    p = str(period)
    return read_frame(
        f"SELECT w.id, w.income_tier, w.sector, COALESCE(a.payer_id, own.id), COALESCE(a.last_period, ''), "
        f"pr.payer_type, pr.frequency, pr.anchor_period, pr.jht "
        f"FROM {WORKER} w JOIN {MEMBERSHIP} m ON m.worker_id = w.id AND m.status = 'active' "
        f"LEFT JOIN (SELECT worker_id, MAX(id) AS id FROM {ASSIGNMENT} WHERE first_period <= %s "
        f"  AND (last_period = '' OR last_period >= %s) GROUP BY worker_id) cur ON cur.worker_id = w.id "
        f"LEFT JOIN {ASSIGNMENT} a ON a.id = cur.id "
        f"LEFT JOIN {PAYER} own ON own.worker_id = w.id "
        f"JOIN {PAYER} pr ON pr.id = COALESCE(a.payer_id, own.id) "
        f"WHERE 1 = 1{only}",
        [p, p, *params],
        {"worker_id": pl.Int64, "income": pl.Int64, "sector": pl.String, "payer_id": pl.Int64,
         "until": pl.String, "payer_type": pl.String, "frequency": pl.Int64, "anchor": pl.String,
         "jht": pl.Boolean},
    )  # fmt: skip


def _bill(
    *, period: Period, run: BillingRun, issued_at: dt.datetime, worker_ids_sql: str = "", params: list[Any]
) -> tuple[int, int, int]:
    """Issue the bills of `period` for every active member (or the workers the query names) not billed yet
    for the months of their payer's cycle. Returns (bills, lines, amount)."""
    # Self-paying payers only for the workers nobody else pays for this month.
    p = str(period)
    workers_sql = (
        f"SELECT m.worker_id FROM {MEMBERSHIP} m WHERE m.status = 'active' "
        f"{'AND m.worker_id IN (' + worker_ids_sql + ') ' if worker_ids_sql else ''}"
        f"AND NOT EXISTS (SELECT 1 FROM {ASSIGNMENT} a WHERE a.worker_id = m.worker_id AND a.first_period <= %s "
        f"AND (a.last_period = '' OR a.last_period >= %s))"
    )
    _mandiri_payers_create(worker_ids_sql=workers_sql, params=[*params, p, p])
    frame = _billable(period=period, worker_ids_sql=worker_ids_sql, params=params)
    if frame.is_empty():
        return 0, 0, 0
    cycles = frame.select("frequency", "anchor").unique()
    months = pl.DataFrame(
        [
            (freq, anchor, [str(m) for m in rules.cycle_months(
                period=period, anchor=Period.parse(anchor) if anchor else period, frequency=freq)])
            for freq, anchor in cycles.iter_rows()
        ],
        schema={"frequency": pl.Int64, "anchor": pl.String, "period": pl.List(pl.String)},
        orient="row",
    )  # fmt: skip
    lines = (
        frame.join(months, on=["frequency", "anchor"], how="left")
        .explode("period")
        .filter((pl.col("until") == "") | (pl.col("period") <= pl.col("until")))
    )
    span = sorted(lines.get_column("period").unique().to_list())
    existing = read_frame(
        f"SELECT worker_id, period FROM {LINE} WHERE period >= %s AND period <= %s",
        [span[0], span[-1]],
        {"worker_id": pl.Int64, "period": pl.String},
    )
    lines = lines.join(existing, on=["worker_id", "period"], how="anti")
    if lines.is_empty():
        return 0, 0, 0
    prices = due_table(lines.select("income", "sector", "payer_type", "jht", "period").unique())
    lines = lines.join(prices, on=["income", "sector", "payer_type", "jht", "period"], how="left")
    bills = lines.group_by("payer_id").agg(
        pl.len().alias("lines_count"), pl.col("amount").sum().alias("amount_total"),
        pl.col("period").min().alias("first_period"), pl.col("period").max().alias("last_period"),
    )  # fmt: skip
    payers = _payer_frame(period=period, payer_ids=bills.get_column("payer_id"))
    last_day = dt.date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])
    stamp = db_datetime(issued_at)
    bill_rows = bills.join(payers, on="payer_id").select(
        "payer_id", pl.lit(str(period)).alias("period"), (pl.col("seq") + 1).alias("seq"), "first_period",
        "last_period", pl.lit(run.pk).alias("run_id"), "va_number", "payer_name", "payer_type", "lines_count",
        "amount_total", pl.lit(0).alias("amount_paid"), pl.lit(0).alias("amount_lapsed"),
        pl.lit("issued").alias("status"), pl.lit(stamp).alias("issued_at"),
        pl.lit(last_day.isoformat()).alias("due_date"),
    )  # fmt: skip
    insert_frame(BILL, bill_rows)
    ids = read_frame(
        f"SELECT id, payer_id FROM {BILL} WHERE run_id = %s AND period = %s",
        [run.pk, str(period)],
        {"bill_id": pl.Int64, "payer_id": pl.Int64},
    )
    line_rows = (
        lines.join(ids, on="payer_id")
        .sort("bill_id", "period", "worker_id")
        .select(
            "bill_id",
            "payer_id",
            "worker_id",
            "period",
            "income",
            "sector",
            "jkk",
            "jkm",
            pl.col("jht_amount").alias("jht"),
            "amount",
            pl.lit(0).alias("credited"),
            pl.lit("open").alias("status"),
        )  # fmt: skip
    )
    insert_frame(LINE, line_rows)
    coverage_touched(line_rows.get_column("period").unique().to_list())
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PAYER} SET anchor_period = %s WHERE anchor_period = '' "
            f"AND id IN (SELECT payer_id FROM {BILL} WHERE run_id = %s)",
            [str(period), run.pk],
        )
    return bill_rows.height, line_rows.height, int(line_rows.get_column("amount").sum())


def _payer_frame(*, period: Period, payer_ids: pl.Series) -> pl.DataFrame:
    frame = read_frame(
        f"SELECT p.id, p.va_number, p.name, p.payer_type, COALESCE(b.seq, 0) FROM {PAYER} p "
        f"LEFT JOIN (SELECT payer_id, MAX(seq) AS seq FROM {BILL} WHERE period = %s GROUP BY payer_id) b "
        f"ON b.payer_id = p.id",
        [str(period)],
        {"payer_id": pl.Int64, "va_number": pl.String, "payer_name": pl.String, "payer_type": pl.String,
         "seq": pl.Int64},
    )  # fmt: skip
    return frame.join(payer_ids.to_frame("payer_id").unique(), on="payer_id", how="semi")


def billing_run(
    *, period: Period, viewer: Viewer, actor: Actor, issued_at: dt.datetime | None = None
) -> BillingResult:
    """Bill a month: lapse what can no longer be paid, end memberships after more than 3 unpaid months, issue
    one bill per payer for the months of its cycle, then pay what it can from the payers' credit. A re-run for
    the same month bills only worker-months not billed yet (nothing, if nothing changed)."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    started = time.perf_counter()
    issued_at = issued_at or timezone.now()
    today = Period.of(timezone.localdate(issued_at))
    if not rules.payable(period=period, as_of=today):  # issue #13: 2023 billed for workers who joined in 2026
        raise ValidationFailed(
            f"Bulan {period} tidak dapat ditagih lagi: iurannya hanya dapat dibayar sampai "
            f"{rules.last_payable_month(period)} (Perdir 22/2022).", code=ErrorCode.PERIOD_TOO_OLD, field="period",
        )  # fmt: skip
    if period > today.plus(rules.BILL_AHEAD_MONTHS):
        raise ValidationFailed(f"Bulan {period} lebih dari {rules.BILL_AHEAD_MONTHS} bulan ke depan.",
                               code=ErrorCode.PERIOD_TOO_FAR, field="period")  # fmt: skip
    phases: dict[str, float] = {}
    # A run started by a regional role (a branch clerk) bills only the viewer's regions; a national run is an
    # administrator's or the scheduler's, and says so (scope "").
    where, params = viewer.region_sql()
    workers_sql = f"SELECT id FROM {WORKER} WHERE {where}" if where else ""
    with transaction.atomic():
        run = BillingRun.objects.create(
            period=str(period), started_at=timezone.now(), actor=actor_user(actor),
            scope=",".join(viewer.region_codes) if where else "",
        )  # fmt: skip
        lapsed, ended = _lapse(as_of=period, worker_ids_sql=workers_sql, params=params)
        phases["lapse"] = round(time.perf_counter() - started, 2)
        bills, lines, amount = _bill(
            period=period, run=run, issued_at=issued_at, worker_ids_sql=workers_sql, params=params
        )
        phases["bill"] = round(time.perf_counter() - started - phases["lapse"], 2)
        settled = _settle_from_credit(
            payer_ids_sql=f"SELECT payer_id FROM {BILL} WHERE run_id = %s", params=[run.pk], paid_at=issued_at
        )
        phases["settle"] = round(time.perf_counter() - started - phases["lapse"] - phases["bill"], 2)
        seconds = round(time.perf_counter() - started, 2)
        BillingRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), bills=bills, lines=lines, amount_total=amount, lapsed_lines=lapsed,
            memberships_ended=ended, seconds=seconds,
        )  # fmt: skip
        run.refresh_from_db()
        audit_record(
            actor=actor, action=AuditAction.BILLING_RUN, entity_type=Entity.BILLING_RUN, entity_id=run.pk,
            changes={"period": str(period), "bills": bills, "lines": lines, "amount_total": amount,
                     "lapsed_lines": lapsed, "memberships_ended": ended, "settled_from_credit": settled,
                     "scope": run.scope or "national"},
            batch_ref=f"billing:{run.pk}",
        )  # fmt: skip
    return BillingResult(run, bills, lines, amount, settled, seconds, phases)
