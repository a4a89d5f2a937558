"""Every write of the contribution ledger: payers and who pays for whom, monthly billing runs, payments
(by hand, from a bank statement, from a bank's notification), settling them against the oldest months first,
the reconciliation queue, lapses, re-activation and the PP 50/2025 over-payment credit.

Bulk work is set-based (Polars between the database and the rules, COPY on PostgreSQL, window functions for
"oldest month first"), runs in one transaction and leaves a record (BillingRun, StatementImport)."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import io
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

import polars as pl
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jaring.contributions import rules
from jaring.contributions.models import (
    Bill,
    BillingRun,
    BillLine,
    LineStatus,
    Payer,
    PayerAssignment,
    PayerKind,
    Payment,
    PaymentSource,
    PaymentStatus,
    StatementImport,
    StatementProfile,
)
from jaring.contributions.rules import PayerType
from jaring.contributions.selectors import due_table
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import db_datetime, insert_frame, insert_rows, read_frame
from jaring.core.errors import Conflict, ErrorCode, FileRejected, NotFound, ValidationFailed
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record, counter_take
from jaring.core.types import Period, whole_number
from jaring.regions.selectors import region_get
from jaring.registry.models import Membership, Worker
from jaring.registry.movers import Moved, move_whole, register_mover
from jaring.registry.services import membership_reactivate as registry_membership_reactivate
from jaring.registry.services import memberships_end

Progress = Callable[[str, int, int], None]

LINE = BillLine._meta.db_table
BILL = Bill._meta.db_table
PAYER = Payer._meta.db_table
ASSIGNMENT = PayerAssignment._meta.db_table
WORKER = Worker._meta.db_table
MEMBERSHIP = Membership._meta.db_table


def _va_prefix(kind: str) -> str:
    va = settings.JARING["VA_PREFIXES"]
    return str(va[kind])


# ------------------------------------------------------------------------------------- payers


def payer_create(
    *,
    kind: PayerKind,
    payer_type: PayerType,
    name: str,
    frequency: int = 1,
    jht: bool = False,
    agent_id: int | None = None,
    program_ref: str = "",
    sponsor_ref: str = "",
    region_code: str = "",
    actor: Actor,
) -> Payer:
    """A payer other than a self-paying worker (those are made by the billing run): an agent's collection
    or a funding program. Its virtual account number is issued here, once."""
    name = name.strip()
    if not name:
        raise ValidationFailed("Nama pembayar wajib diisi.", code=ErrorCode.PAYER_NAME_MISSING, field="name")
    if frequency not in rules.FREQUENCIES:
        raise ValidationFailed(
            f"Frekuensi bayar {frequency} bulan tidak dikenal: 1, 3, 6 atau 12.",
            code=ErrorCode.FREQUENCY_INVALID,
            field="frequency",
        )
    codes: dict[str, Any] = {"province_code": "", "regency_code": "", "district_code": "", "village": None}
    if region_code:
        region = region_get(code=region_code)
        if region is None:
            raise ValidationFailed(
                f"Kode wilayah '{region_code}' tidak dikenal.",
                code=ErrorCode.REGION_UNKNOWN,
                field="region_code",
            )
        parts = region_code.split(".")
        codes["province_code"] = parts[0]
        codes["regency_code"] = ".".join(parts[:2]) if len(parts) > 1 else ""
        codes["district_code"] = ".".join(parts[:3]) if len(parts) > 2 else ""
        codes["village"] = region if len(parts) == 4 else None
    with transaction.atomic():
        number = counter_take(name="payer_va")
        payer = Payer.objects.create(
            kind=kind.value if isinstance(kind, PayerKind) else kind, payer_type=payer_type.value, name=name,
            agent_id=agent_id, program_ref=program_ref, sponsor_ref=sponsor_ref,
            va_number=rules.va_number(prefix=_va_prefix("payer"), customer=f"{number:011d}"),
            frequency=frequency, jht=jht, **codes,
        )  # fmt: skip
        audit_record(
            actor=actor, action=AuditAction.PAYER_CREATE, entity_type=Entity.PAYER, entity_id=payer.pk,
            changes={"kind": payer.kind, "payer_type": payer.payer_type, "name": name, "frequency": frequency,
                     "va_number": payer.va_number},
        )  # fmt: skip
    return payer


def payer_assign(
    *,
    payer_id: int,
    worker_ids: Iterable[int],
    first_period: Period,
    last_period: Period | None,
    actor: Actor,
) -> int:
    """From `first_period` (to `last_period`), `payer` pays for these workers. Months already billed to someone
    else stay with their bill: a worker-month is billed once."""
    if last_period is not None and last_period < first_period:
        raise ValidationFailed(
            "Bulan akhir harus sesudah bulan awal.", code=ErrorCode.PERIOD_RANGE_INVALID, field="last_period"
        )
    ids = sorted(set(worker_ids))
    with transaction.atomic():
        payer = Payer.objects.select_for_update().filter(pk=payer_id).first()
        if payer is None:
            raise NotFound("Pembayar tidak ditemukan.", code=ErrorCode.PAYER_NOT_FOUND)
        if payer.kind == PayerKind.WORKER:
            raise ValidationFailed(
                "Pekerja mandiri membayar untuk dirinya sendiri; tidak bisa ditugaskan.",
                code=ErrorCode.PAYER_KIND_INVALID,
            )
        now = db_datetime(timezone.now())
        frame = pl.DataFrame(
            {"worker_id": ids, "payer_id": [payer_id] * len(ids), "first_period": [str(first_period)] * len(ids),
             "last_period": [str(last_period or "")] * len(ids), "created_at": [now] * len(ids),
             "created_by_id": [getattr(actor, "pk", None)] * len(ids)},
            schema={"worker_id": pl.Int64, "payer_id": pl.Int64, "first_period": pl.String,
                    "last_period": pl.String, "created_at": pl.String if isinstance(now, str) else pl.Datetime("us", "UTC"),
                    "created_by_id": pl.Int64},
        )  # fmt: skip
        count = insert_frame(ASSIGNMENT, frame)
        audit_record(
            actor=actor, action=AuditAction.PAYER_ASSIGN, entity_type=Entity.PAYER, entity_id=payer_id,
            changes={"workers": count, "first_period": str(first_period), "last_period": str(last_period or "")},
        )  # fmt: skip
    return count


def payer_assign_frame(*, frame: pl.DataFrame, actor: Actor) -> int:
    """The set-based `payer_assign` for a funding program's allocation run: `frame` has worker_id, payer_id,
    first_period and last_period (YYYY-MM). The caller's run is the audit record (decision 0003)."""
    if frame.is_empty():
        return 0
    now = db_datetime(timezone.now())
    user = getattr(actor_user(actor), "pk", None)
    return insert_frame(ASSIGNMENT, frame.select(
        "worker_id", "payer_id", "first_period", "last_period",
        pl.lit(now, dtype=pl.String if isinstance(now, str) else pl.Datetime("us", "UTC")).alias("created_at"),
        pl.lit(user, dtype=pl.Int64).alias("created_by_id"),
    ))  # fmt: skip


def payer_program_link(*, payer_id: int, program_ref: str) -> None:
    """A funding program's payer learns the program it pays for (known only once the program has its id)."""
    Payer.objects.filter(pk=payer_id).update(program_ref=program_ref)


def _mandiri_payers_create(*, worker_ids_sql: str, params: list[Any]) -> int:
    """A self-paying payer for each worker the query names that has none: the virtual account carries the
    worker's KPJ card number, so a worker can pay at any bank knowing only their card."""
    frame = read_frame(
        f"SELECT w.id, w.full_name, m.kpj, w.province_code, w.regency_code, w.district_code, w.village_code "
        f"FROM {WORKER} w JOIN {MEMBERSHIP} m ON m.worker_id = w.id AND m.status = 'active' "
        f"WHERE w.id IN ({worker_ids_sql}) AND NOT EXISTS (SELECT 1 FROM {PAYER} p WHERE p.worker_id = w.id)",
        params,
        {"worker_id": pl.Int64, "name": pl.String, "kpj": pl.String, "province_code": pl.String,
         "regency_code": pl.String, "district_code": pl.String, "village_code": pl.String},
    )  # fmt: skip
    if frame.is_empty():
        return 0
    prefix = _va_prefix("worker")
    now = db_datetime(timezone.now())
    out = frame.select(
        pl.lit(PayerKind.WORKER.value).alias("kind"), pl.lit(PayerType.MANDIRI.value).alias("payer_type"), "name",
        "worker_id", pl.col("kpj").map_elements(lambda k: rules.va_number(prefix=prefix, customer=k),
                                                return_dtype=pl.String).alias("va_number"),
        pl.lit(1).alias("frequency"), pl.lit("").alias("anchor_period"), pl.lit(False).alias("jht"),
        pl.lit(0).alias("credit"), "province_code", "regency_code", "district_code", "village_code",
        pl.lit("").alias("program_ref"), pl.lit("").alias("sponsor_ref"), pl.lit(now).alias("created_at"),
    )  # fmt: skip
    return insert_frame(PAYER, out)


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
        cursor.execute(
            f"UPDATE {LINE} SET status = 'lapsed' WHERE status = 'open' AND period < %s "
            f"AND worker_id IN (SELECT worker_id FROM jaring_ending)",
            [str(as_of)],
        )
        ended_lines = cursor.rowcount
        ended = memberships_end(worker_ids_sql="SELECT worker_id FROM jaring_ending")
        cursor.execute("DROP TABLE jaring_ending")
        cursor.execute(
            f"UPDATE {LINE} SET status = 'lapsed' WHERE status = 'open' AND period < %s{scope}",
            [limit, *params],
        )
        lapsed = cursor.rowcount + ended_lines
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


# ------------------------------------------------------------------------------------- settling


def _month_of(at: dt.datetime, zone: Any = None) -> Period:
    """The calendar month of a moment in Jakarta time. Bulk callers pass the zone, looked up once."""
    return Period.of(at.astimezone(zone or timezone.get_current_timezone()).date())


def _analyze(cursor: Any, table: str) -> None:
    """PostgreSQL keeps no statistics on a new temporary table: without them it plans one payer's settling like a
    hundred thousand (a scan of every bill line, 0.35 s at a million lines, for each bank notification)."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}")


def _temp_settle_table(
    rows: list[tuple[int, int | None, dt.datetime]], amounts: list[int] | None = None
) -> None:
    """payer, payment (None: paid from earlier credit), paid_at (and the amount the payment brings), for one round
    of settling. Loaded with COPY on PostgreSQL."""
    stamp_type = "timestamptz" if connection.vendor == "postgresql" else "text"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS jaring_settle")
        cursor.execute(
            f"CREATE TEMPORARY TABLE jaring_settle (payer_id bigint PRIMARY KEY, payment_id bigint, "
            f"paid_at {stamp_type}, amount bigint, as_of varchar(7))"
        )
    given = amounts or [0] * len(rows)
    zone = timezone.get_current_timezone()
    insert_rows(
        "jaring_settle", ["payer_id", "payment_id", "paid_at", "amount", "as_of"],
        ((payer, payment, db_datetime(at), amount, str(_month_of(at, zone)))
         for (payer, payment, at), amount in zip(rows, given, strict=True)),
    )  # fmt: skip
    with connection.cursor() as cursor:
        _analyze(cursor, "jaring_settle")


def _settle_round() -> int:
    """Pay each listed payer's open months, oldest month first (then line order), as far as its credit and the
    round's payment (jaring_settle.amount) go in whole months; what is left stays as credit. Returns the number
    of lines paid."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS jaring_paid")
        cursor.execute(
            f"CREATE TEMPORARY TABLE jaring_paid AS "
            f"SELECT r.id AS line_id, r.bill_id, r.payer_id, r.amount, s.payment_id, s.paid_at FROM ("
            f"  SELECT l.id, l.bill_id, l.payer_id, l.amount, SUM(l.amount) OVER ("
            f"    PARTITION BY l.payer_id ORDER BY l.period, l.id ROWS UNBOUNDED PRECEDING) AS cum "
            f"  FROM {LINE} l WHERE l.status = 'open' AND l.payer_id IN (SELECT payer_id FROM jaring_settle)"
            f") r JOIN jaring_settle s ON s.payer_id = r.payer_id JOIN {PAYER} p ON p.id = r.payer_id "
            f"WHERE r.cum <= p.credit + s.amount"
        )
        _analyze(cursor, "jaring_paid")
        cursor.execute("SELECT COUNT(*) FROM jaring_paid")
        paid = int(cursor.fetchone()[0])
        if paid:
            cursor.execute(
                f"UPDATE {LINE} SET status = 'paid', paid_at = jaring_paid.paid_at, "
                f"payment_id = jaring_paid.payment_id FROM jaring_paid WHERE {LINE}.id = jaring_paid.line_id"
            )
            _bills_refresh(cursor, "SELECT DISTINCT bill_id FROM jaring_paid")
        # One update of each payer's credit: what this round's payments bring, less the months they paid (a
        # second update of the same rows would no longer fit on their pages).
        cursor.execute(
            f"UPDATE {PAYER} SET credit = credit + t.brought - t.spent FROM (SELECT s.payer_id, s.amount AS brought, "
            f"COALESCE(SUM(j.amount), 0) AS spent FROM jaring_settle s LEFT JOIN jaring_paid j "
            f"ON j.payer_id = s.payer_id GROUP BY s.payer_id, s.amount) t "
            f"WHERE {PAYER}.id = t.payer_id AND (t.brought <> 0 OR t.spent <> 0)"
        )
        cursor.execute("DROP TABLE jaring_paid")  # jaring_settle stays for the caller's next step
    return paid


def _bills_refresh(cursor: Any, bill_ids_sql: str, params: list[Any] | None = None) -> None:
    """A bill's paid and lapsed amounts and status, from its lines."""
    cursor.execute(
        f"UPDATE {BILL} SET amount_paid = t.paid, amount_lapsed = t.lapsed, status = CASE "
        f"  WHEN t.open_lines = 0 AND t.lapsed = 0 THEN 'paid' WHEN t.open_lines = 0 THEN 'closed' "
        f"  WHEN t.paid > 0 THEN 'partial' ELSE 'issued' END "
        f"FROM (SELECT bill_id, SUM(CASE WHEN status = 'paid' THEN amount ELSE 0 END) AS paid, "
        f"  SUM(CASE WHEN status = 'lapsed' THEN amount ELSE 0 END) AS lapsed, "
        f"  SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_lines "
        f"  FROM {LINE} WHERE bill_id IN ({bill_ids_sql}) GROUP BY bill_id) t WHERE {BILL}.id = t.bill_id",
        params or [],
    )


def _settle_from_credit(*, payer_ids_sql: str, params: list[Any], paid_at: dt.datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {PAYER} WHERE credit > 0 AND id IN ({payer_ids_sql})", params)
        payer_ids = [row[0] for row in cursor.fetchall()]
    if not payer_ids:
        return 0
    _temp_settle_table([(p, None, paid_at) for p in payer_ids])
    return _settle_round()


def _apply_payments(payments: list[tuple[int, int, int, dt.datetime]], *, actor: Actor) -> int:
    """Credit each payer with its payments and settle, in rounds so that a payer's earlier payment pays its
    months before a later one does (the paid date a claim asks about is the date the money arrived).
    `payments`: (payment id, payer id, amount, paid_at). Returns lines paid."""
    by_payer: dict[int, list[tuple[int, int, dt.datetime]]] = {}
    for payment_id, payer_id, amount, paid_at in sorted(payments, key=lambda p: (p[3], p[0])):
        by_payer.setdefault(payer_id, []).append((payment_id, amount, paid_at))
    paid = 0
    round_no = 0
    while True:
        batch = [(payer, items[round_no]) for payer, items in by_payer.items() if len(items) > round_no]
        if not batch:
            break
        _temp_settle_table([(payer, pid, at) for payer, (pid, _, at) in batch],
                           [amount for _, (_, amount, _) in batch])  # fmt: skip
        zone = timezone.get_current_timezone()
        months = sorted({_month_of(at, zone) for _, (_, _, at) in batch})
        for as_of in months:
            _lapse(as_of=as_of, payer_ids_sql="SELECT payer_id FROM jaring_settle WHERE as_of = %s",
                   params=[str(as_of)])  # fmt: skip
        paid += _settle_round()
        paid += _reactivate_paying_workers([(payer, at) for payer, (_, _, at) in batch], actor=actor)
        round_no += 1
    return paid


def _reactivate_paying_workers(batch: list[tuple[int, dt.datetime]], *, actor: Actor) -> int:
    """A self-paying worker whose membership ended and who pays again is re-activated from the month of the
    payment; the unpaid gap stays uncovered (domain rules section 2, decision)."""
    at_by_payer = dict(batch)
    with connection.cursor() as cursor:  # the payers of this round are in jaring_settle (see _apply_payments)
        cursor.execute(
            f"SELECT p.id, p.worker_id FROM {PAYER} p JOIN jaring_settle s ON s.payer_id = p.id "
            f"WHERE p.kind = 'worker' AND p.credit > 0 AND NOT EXISTS (SELECT 1 FROM {MEMBERSHIP} m "
            f"WHERE m.worker_id = p.worker_id AND m.status = 'active') ORDER BY p.id"
        )
        rows = cursor.fetchall()
    paid = 0
    for payer_id, worker_id in rows:
        membership = registry_membership_reactivate(worker_id=worker_id)
        if membership is None:
            continue
        at = at_by_payer[payer_id]
        period = Period.of(timezone.localtime(at).date())
        run = BillingRun.objects.create(
            period=str(period), started_at=timezone.now(), actor=actor_user(actor)
        )
        bills, lines, amount = _bill(
            period=period, run=run, issued_at=at, worker_ids_sql="%s", params=[worker_id]
        )
        BillingRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), bills=bills, lines=lines, amount_total=amount
        )
        _temp_settle_table([(payer_id, None, at)])
        paid += _settle_round()
        audit_record(
            actor=actor, action=AuditAction.MEMBERSHIP_REACTIVATE, entity_type=Entity.WORKER, entity_id=worker_id,
            changes={"period": str(period), "kpj": membership.kpj},
        )  # fmt: skip
    return paid


# ------------------------------------------------------------------------------------- payments


def _payer_by_va(va: str) -> Payer | None:
    return Payer.objects.filter(va_number=va).first()


def _unmatched_reason(va_raw: str) -> tuple[str, str, Payer | None]:
    va = rules.va_clean(va_raw)
    if not va:
        return "VA_MISSING", "Nomor virtual account kosong.", None
    if not rules.va_valid(va):
        return (
            "VA_INVALID",
            f"Nomor virtual account '{va_raw}' salah (16 angka dengan angka pemeriksa).",
            None,
        )
    payer = _payer_by_va(va)
    if payer is None:
        return "VA_UNKNOWN", f"Virtual account {va} tidak dimiliki pembayar mana pun.", None
    return "", "", payer


def payment_record(
    *,
    va_number: str,
    amount: int,
    paid_at: dt.datetime,
    reference: str,
    bank: str,
    viewer: Viewer,
    actor: Actor,
    source: PaymentSource = PaymentSource.MANUAL,
) -> tuple[Payment, bool]:
    """Record one payment (a clerk at the desk, or a bank's notification) and settle it at once. The same
    bank reference twice is recorded once: returns (payment, created)."""
    if source == PaymentSource.MANUAL:
        viewer.require(Permission.HANDLE_PAYMENTS)
    reference, bank = reference.strip(), bank.strip()
    if not reference:
        raise ValidationFailed(
            "Nomor referensi pembayaran wajib diisi.", code=ErrorCode.REFERENCE_MISSING, field="reference"
        )
    if not bank:
        raise ValidationFailed("Nama bank wajib diisi.", code=ErrorCode.BANK_MISSING, field="bank")
    if amount <= 0:
        raise ValidationFailed(
            "Jumlah bayar harus lebih dari Rp 0.", code=ErrorCode.AMOUNT_INVALID, field="amount"
        )
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at)
    if paid_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(
            "Tanggal bayar ada di masa depan.", code=ErrorCode.PAID_AT_FUTURE, field="paid_at"
        )
    existing = Payment.objects.filter(bank=bank, reference=reference).first()
    if existing is not None:
        return existing, False
    code, reason, payer = _unmatched_reason(va_number)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                source=source, bank=bank, reference=reference, va_number=va_number.strip()[:32], amount=amount,
                paid_at=paid_at, payer=payer, status=PaymentStatus.MATCHED if payer else PaymentStatus.UNMATCHED,
                reason_code=code, reason=reason, created_by=actor_user(actor),
            )  # fmt: skip
            lines = _apply_payments([(payment.pk, payer.pk, amount, paid_at)], actor=actor) if payer else 0
            audit_record(
                actor=actor, action=AuditAction.PAYMENT_RECORD, entity_type=Entity.PAYMENT, entity_id=payment.pk,
                changes={"source": source, "bank": bank, "reference": reference, "amount": amount,
                         "status": payment.status, "reason_code": code, "lines_paid": lines},
            )  # fmt: skip
    except IntegrityError:  # the same reference arrived concurrently
        found = Payment.objects.filter(bank=bank, reference=reference).first()
        if found is None:
            raise
        return found, False
    return payment, True


def payment_resolve(
    *, payment_id: int, va_number: str = "", returned: bool = False, note: str, viewer: Viewer, actor: Actor
) -> Payment:
    """Settle a payment from the reconciliation queue: give it to the payer of a virtual account, or record
    that the money went back to the sender. The reason is kept."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    note = note.strip()
    if not note:
        raise ValidationFailed("Tulis alasan penyelesaian.", code=ErrorCode.NOTE_MISSING, field="note")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise NotFound("Pembayaran tidak ditemukan.", code=ErrorCode.PAYMENT_NOT_FOUND)
        if payment.status != PaymentStatus.UNMATCHED:
            raise Conflict("Pembayaran ini sudah diselesaikan.", code=ErrorCode.PAYMENT_SETTLED)
        lines = 0
        if returned:
            payment.status = PaymentStatus.RETURNED
        else:
            code, reason, payer = _unmatched_reason(va_number)
            if payer is None:
                raise ValidationFailed(reason, code=code, field="va_number")
            payment.payer, payment.status = payer, PaymentStatus.MATCHED
        payment.settled_by, payment.settled_note = actor_user(actor), note[:255]
        payment.save(update_fields=["payer", "status", "settled_by", "settled_note"])
        if payment.payer_id:
            lines = _apply_payments(
                [(payment.pk, payment.payer_id, payment.amount, payment.paid_at)], actor=actor
            )
        audit_record(
            actor=actor, action=AuditAction.PAYMENT_RESOLVE, entity_type=Entity.PAYMENT, entity_id=payment.pk,
            changes={"status": payment.status, "payer_id": payment.payer_id, "note": note, "lines_paid": lines},
        )  # fmt: skip
    return payment


# ------------------------------------------------------------------------------------- bank statements


@dataclass(frozen=True)
class StatementProblem:
    line: int
    column: str
    code: str
    message: str


@dataclass
class StatementResult:
    statement: StatementImport
    created: bool
    problems: list[StatementProblem]
    lines_paid: int = 0


def _amount_parse(text: str, *, decimal_comma: bool) -> int | None:
    """'16800', '16.800,00' (decimal comma), '16,800.00': whole rupiah; cents must be zero."""
    text = (text or "").strip().replace("Rp", "").replace(" ", "")
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))  # debits
    text = text.strip("-()")
    if decimal_comma:
        whole, _, cents = text.partition(",")
        whole = whole.replace(".", "")
    else:
        whole, _, cents = text.partition(".")
        whole = whole.replace(",", "")
    if cents and set(cents) != {"0"}:
        return None
    value = whole_number(whole)
    return -value if negative and value is not None else value


MAX_STATEMENT_BYTES = 50 * 1024 * 1024


def statement_import(
    *, stream: IO[bytes], file_name: str, profile_name: str, viewer: Viewer, actor: Actor
) -> StatementResult:
    """A bank statement (CSV) read by the bank's saved profile: each credit line becomes a payment matched by
    virtual account; a reference seen before is recorded once; lines that cannot be read are reported by line
    and column and nothing of them is kept; lines whose account is unknown wait in the reconciliation queue.
    The same file twice changes nothing."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    profile = StatementProfile.objects.filter(name=profile_name).first()
    if profile is None:
        names = ", ".join(StatementProfile.objects.order_by("name").values_list("name", flat=True))
        raise ValidationFailed(
            f"Profil rekening koran '{profile_name}' tidak ada (yang ada: {names}).",
            code=ErrorCode.PROFILE_UNKNOWN,
            field="profile",
        )
    data = stream.read(MAX_STATEMENT_BYTES + 1)
    if len(data) > MAX_STATEMENT_BYTES:
        raise FileRejected("Berkas rekening koran lebih dari 50 MB.", code=ErrorCode.FILE_TOO_LARGE)
    if not data.strip():
        raise FileRejected("Berkas rekening koran kosong.", code=ErrorCode.FILE_EMPTY)
    digest = hashlib.sha256(data).hexdigest()
    seen = StatementImport.objects.filter(sha256=digest).first()
    if seen is not None:
        return StatementResult(seen, False, [])
    started = time.perf_counter()
    frame = _statement_frame(data, profile)
    problems: list[StatementProblem] = []
    rows = []
    first_line = profile.skip_rows + 2  # the header is the line before the first row
    tz = timezone.get_current_timezone()  # statements are in Jakarta time (zoneinfo: replace() is correct)
    for i, (ref, va, amount_text, date_text) in enumerate(frame.iter_rows()):
        line = first_line + i
        amount = _amount_parse(amount_text or "", decimal_comma=profile.decimal_comma)
        if not (ref or "").strip():
            problems.append(StatementProblem(line, profile.reference_column, "REFERENCE_MISSING",
                                             "Nomor referensi kosong."))  # fmt: skip
            continue
        if amount is None:
            problems.append(StatementProblem(line, profile.amount_column, "AMOUNT_INVALID",
                                             f"Jumlah '{amount_text}' bukan rupiah utuh (mis. 16800)."))  # fmt: skip
            continue
        if amount <= 0:
            problems.append(StatementProblem(line, profile.amount_column, "NOT_A_CREDIT",
                                             "Baris ini bukan uang masuk (jumlah 0 atau debit)."))  # fmt: skip
            continue
        try:
            paid = dt.datetime.strptime((date_text or "").strip(), profile.date_format)
        except ValueError:
            problems.append(StatementProblem(line, profile.date_column, "DATE_INVALID",
                                             f"Tanggal '{date_text}' tidak sesuai format {profile.date_format}."))  # fmt: skip
            continue
        rows.append((line, ref.strip()[:64], (va or "").strip()[:32], amount, paid.replace(tzinfo=tz)))
    with transaction.atomic():
        statement = StatementImport.objects.create(
            file_name=file_name[:255],
            sha256=digest,
            profile=profile,
            lines=frame.height,
            created_by=actor_user(actor),
        )
        known, payers = _statement_lookups(
            bank=profile.bank, rows=[(r[1], rules.va_clean(r[2])) for r in rows]
        )
        now = db_datetime(timezone.now())
        fresh, duplicates, taken = [], 0, set()
        to_settle: dict[int, tuple[int, int, dt.datetime]] = {}
        for line, ref, va, amount, paid_at in rows:
            if ref in known or ref in taken:
                duplicates += 1
                continue
            taken.add(ref)
            clean = rules.va_clean(va)
            payer_id = payers.get(clean) if rules.va_valid(clean) else None
            code, reason = ("", "") if payer_id else _unmatched_reason(va)[:2]
            if payer_id:
                to_settle[line] = (payer_id, amount, paid_at)
            fresh.append((PaymentSource.STATEMENT.value, profile.bank, ref, va, amount, db_datetime(paid_at), payer_id,
                          PaymentStatus.MATCHED.value if payer_id else PaymentStatus.UNMATCHED.value, code, reason,
                          statement.pk, line, now, getattr(actor_user(actor), "pk", None), None, ""))  # fmt: skip
        if fresh:
            insert_frame(Payment._meta.db_table, _payments_frame(fresh))
        # The new payments' ids by line (integers only: no datetime read back for each of them).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT line_no, id FROM {Payment._meta.db_table} WHERE statement_id = %s AND payer_id IS NOT NULL",
                [statement.pk],
            )
            ids = dict(cursor.fetchall())
        matched = [
            (ids[line], payer, amount, paid_at) for line, (payer, amount, paid_at) in to_settle.items()
        ]
        lines_paid = _apply_payments(matched, actor=actor)
        unmatched = sum(1 for r in fresh if r[6] is None)
        StatementImport.objects.filter(pk=statement.pk).update(
            matched=len(fresh) - unmatched, unmatched=unmatched, duplicates=duplicates,
            amount_total=sum(r[4] for r in fresh), seconds=round(time.perf_counter() - started, 2),
        )  # fmt: skip
        statement.refresh_from_db()
        audit_record(
            actor=actor, action=AuditAction.STATEMENT_IMPORT, entity_type=Entity.STATEMENT, entity_id=statement.pk,
            changes={"file": file_name, "lines": frame.height, "matched": statement.matched,
                     "unmatched": unmatched, "duplicates": duplicates, "rejected": len(problems),
                     "lines_paid": lines_paid},
            batch_ref=f"statement:{statement.pk}",
        )  # fmt: skip
    return StatementResult(statement, True, problems, lines_paid)


def _statement_lookups(*, bank: str, rows: list[tuple[str, str]]) -> tuple[set[str], dict[str, int]]:
    """References of this bank already recorded, and the payer of each virtual account, for a whole statement:
    its (reference, account) pairs go into a temporary table and are joined, instead of two IN lists of a
    hundred thousand values."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS jaring_statement")
        cursor.execute(
            "CREATE TEMPORARY TABLE jaring_statement (reference varchar(64), va_number varchar(32))"
        )
    insert_rows("jaring_statement", ["reference", "va_number"], rows)
    with connection.cursor() as cursor:
        _analyze(cursor, "jaring_statement")
        cursor.execute(
            f"SELECT DISTINCT p.reference FROM {Payment._meta.db_table} p JOIN jaring_statement s "
            f"ON s.reference = p.reference WHERE p.bank = %s",
            [bank],
        )
        known = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            f"SELECT DISTINCT y.va_number, y.id FROM {PAYER} y JOIN jaring_statement s ON s.va_number = y.va_number"
        )
        payers = {va: pk for va, pk in cursor.fetchall()}
        cursor.execute("DROP TABLE jaring_statement")
    return known, payers


PAYMENT_COLUMNS = (
    "source", "bank", "reference", "va_number", "amount", "paid_at", "payer_id", "status", "reason_code",
    "reason", "statement_id", "line_no", "created_at", "created_by_id", "settled_by_id", "settled_note",
)  # fmt: skip


def _payments_frame(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    stamp = pl.String if connection.vendor != "postgresql" else pl.Datetime("us", "UTC")
    types = [pl.String, pl.String, pl.String, pl.String, pl.Int64, stamp, pl.Int64, pl.String, pl.String,
             pl.String, pl.Int64, pl.Int64, stamp, pl.Int64, pl.Int64, pl.String]  # fmt: skip
    return pl.DataFrame(rows, schema=dict(zip(PAYMENT_COLUMNS, types, strict=True)), orient="row")


def _statement_frame(data: bytes, profile: StatementProfile) -> pl.DataFrame:
    text = data.decode("utf-8-sig", errors="strict") if _is_utf8(data) else data.decode("cp1252")
    try:
        frame = pl.read_csv(
            io.StringIO(text), separator=profile.delimiter, skip_rows=profile.skip_rows, infer_schema=False,
            truncate_ragged_lines=True,
        )  # fmt: skip
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as exc:
        raise FileRejected(
            f"Berkas rekening koran tidak bisa dibaca sebagai CSV: {exc}", code=ErrorCode.FILE_CORRUPT
        ) from exc
    wanted = [profile.reference_column, profile.va_column, profile.amount_column, profile.date_column]
    headers = {c.strip().lower(): c for c in frame.columns}
    missing = [c for c in wanted if c.strip().lower() not in headers]
    if missing:
        raise FileRejected(
            f"Kolom {', '.join(missing)} tidak ada di berkas (profil '{profile.name}'; kolom berkas: "
            f"{', '.join(frame.columns[:12])}). Pilih profil bank yang sesuai.",
            code=ErrorCode.COLUMNS_MISSING,
        )
    return frame.select([pl.col(headers[c.strip().lower()]) for c in wanted])


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# ------------------------------------------------------------------------------------- re-activation


def membership_reactivate(*, worker_id: int, period: Period, viewer: Viewer, actor: Actor) -> BillingResult:
    """A clerk re-activates an ended membership (a sponsor or agent takes the worker back): the worker is
    billed again from `period`; the unpaid gap stays uncovered."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    with transaction.atomic():
        latest = Membership.objects.filter(worker_id=worker_id).order_by("-id").first()
        if latest is None or not Worker.objects.filter(viewer.region_q(), pk=worker_id).exists():
            raise NotFound(
                "Pekerja atau kepesertaannya tidak ditemukan.", code=ErrorCode.MEMBERSHIP_NOT_FOUND
            )
        membership = registry_membership_reactivate(worker_id=worker_id)
        if membership is None:
            raise Conflict("Kepesertaan ini masih aktif.", code=ErrorCode.MEMBERSHIP_ACTIVE)
        run = BillingRun.objects.create(
            period=str(period), started_at=timezone.now(), actor=actor_user(actor)
        )
        bills, lines, amount = _bill(
            period=period, run=run, issued_at=timezone.now(), worker_ids_sql="%s", params=[worker_id]
        )
        BillingRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), bills=bills, lines=lines, amount_total=amount
        )
        settled = _settle_from_credit(
            payer_ids_sql=f"SELECT payer_id FROM {BILL} WHERE run_id = %s",
            params=[run.pk],
            paid_at=timezone.now(),
        )
        audit_record(
            actor=actor, action=AuditAction.MEMBERSHIP_REACTIVATE, entity_type=Entity.WORKER, entity_id=worker_id,
            changes={"period": str(period), "kpj": membership.kpj, "bills": bills},
        )  # fmt: skip
    return BillingResult(run, bills, lines, amount, settled)


# ------------------------------------------------------------------------------------- PP 50/2025 credit


def discount_credit_apply(*, viewer: Viewer, actor: Actor) -> dict[str, int]:
    """PP 50/2025: a month billed (or paid) at more than the rules now say, because the discount came after
    the bill, is corrected: an open line is lowered, a paid line's difference becomes credit for later months.
    Arrears from before the discount period keep the full rate (their months are not discounted). Each line is
    corrected once (`credited`)."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    with transaction.atomic():
        lines = read_frame(
            f"SELECT l.id, l.bill_id, l.payer_id, l.income, l.sector, p.payer_type, "
            f"CASE WHEN l.jht > 0 THEN 1 ELSE 0 END, l.period, l.amount, l.status FROM {LINE} l "
            f"JOIN {PAYER} p ON p.id = l.payer_id WHERE l.credited = 0 AND l.status <> 'lapsed'",
            [],
            {"line_id": pl.Int64, "bill_id": pl.Int64, "payer_id": pl.Int64, "income": pl.Int64,
             "sector": pl.String, "payer_type": pl.String, "jht": pl.Int64, "period": pl.String,
             "billed": pl.Int64, "status": pl.String},
        ).with_columns(pl.col("jht").cast(pl.Boolean))  # fmt: skip
        if lines.is_empty():
            return {"lines_lowered": 0, "lines_credited": 0, "credit_total": 0}
        prices = due_table(lines.select("income", "sector", "payer_type", "jht", "period").unique())
        over = (
            lines.join(prices, on=["income", "sector", "payer_type", "jht", "period"])
            .filter(pl.col("billed") > pl.col("amount"))
            .with_columns((pl.col("billed") - pl.col("amount")).alias("difference"))
        )
        lowered = over.filter(pl.col("status") == LineStatus.OPEN)
        credited = over.filter(pl.col("status") == LineStatus.PAID)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {LINE} SET amount = %s, jkk = %s, jkm = %s, jht = %s, credited = %s WHERE id = %s",
                lowered.select("amount", "jkk", "jkm", "jht_amount", "difference", "line_id").rows(),
            )
            cursor.executemany(
                f"UPDATE {LINE} SET credited = %s WHERE id = %s",
                credited.select("difference", "line_id").rows(),
            )
            per_payer = credited.group_by("payer_id").agg(pl.col("difference").sum())
            cursor.executemany(
                f"UPDATE {PAYER} SET credit = credit + %s WHERE id = %s",
                per_payer.select("difference", "payer_id").rows(),
            )
            lowered_per_bill = lowered.group_by("bill_id").agg(pl.col("difference").sum())
            cursor.executemany(
                f"UPDATE {BILL} SET amount_total = amount_total - %s WHERE id = %s",
                lowered_per_bill.select("difference", "bill_id").rows(),
            )
            bill_ids = over.get_column("bill_id").unique().to_list()
            for start in range(0, len(bill_ids), 5_000):
                chunk = bill_ids[start : start + 5_000]
                _bills_refresh(cursor, ", ".join(["%s"] * len(chunk)), chunk)
        result = {"lines_lowered": lowered.height, "lines_credited": credited.height,
                  "credit_total": int(credited.get_column("difference").sum() or 0)}  # fmt: skip
        audit_record(actor=actor, action=AuditAction.CONTRIBUTION_DISCOUNT_CREDIT, entity_type=Entity.LEDGER, entity_id="-",
                     changes=result)  # fmt: skip
    return result


# ------------------------------------------------------------------------------------- merging two records


def _bill_lines_move(*, survivor_id: int, retired_id: int) -> Moved:
    """A month billed for both records stays with the retired one (paid twice: the overlap report shows it)."""
    billed = set(BillLine.objects.filter(worker_id=survivor_id).values_list("period", flat=True))
    lines = list(BillLine.objects.filter(worker_id=retired_id).values_list("pk", "period"))
    moved = [pk for pk, period in lines if period not in billed]
    BillLine.objects.filter(pk__in=moved).update(worker_id=survivor_id)
    return Moved(
        moved={"bill_line": moved}, kept={"bill_line": [pk for pk, period in lines if period in billed]}
    )


def _own_payer_move(*, survivor_id: int, retired_id: int) -> Moved:
    """The retired record's own (mandiri) payer and its virtual account follow, unless the survivor has one."""
    own = Payer.objects.filter(worker_id=retired_id).first()
    if own is None or Payer.objects.filter(worker_id=survivor_id).exists():
        return Moved()
    Payer.objects.filter(pk=own.pk).update(worker_id=survivor_id)
    return Moved(moved={"payer": [own.pk]})


def _by_ids_undo(model: Any, key: str) -> Any:
    def undo(*, survivor_id: int, retired_id: int, moved: dict[str, list[int]]) -> None:
        ids = moved.get(key, [])
        if ids:
            model.objects.filter(pk__in=ids).update(worker_id=retired_id)

    return undo


def movers_register() -> None:
    """The ledger's rows that follow a merge of two worker records (called from ContributionsConfig.ready)."""
    move, undo = move_whole(PayerAssignment, "payer_assignment")
    register_mover("payer_assignment", move=move, undo=undo)
    register_mover("bill_line", move=_bill_lines_move, undo=_by_ids_undo(BillLine, "bill_line"))
    register_mover("payer", move=_own_payer_move, undo=_by_ids_undo(Payer, "payer"))
