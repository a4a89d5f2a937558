"""Settling money against bills, oldest month first, the rest kept as credit (set-based, temp tables)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from jaring.contributions.services.common import BILL, LINE, PAYER, _analyze, _month_of
from jaring.core.bulk import db_datetime, insert_rows
from jaring.core.changes import coverage_touched

# ------------------------------------------------------------------------------------- settling


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
            cursor.execute(f"SELECT DISTINCT l.period FROM {LINE} l JOIN jaring_paid j ON j.line_id = l.id")
            coverage_touched(row[0] for row in cursor.fetchall())
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
