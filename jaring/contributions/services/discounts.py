"""PP 50/2025: months billed at more than the rules now say are credited back to the payer."""

from __future__ import annotations

import polars as pl
from django.db import connection, transaction

from jaring.contributions.models import (
    LineStatus,
)
from jaring.contributions.selectors import due_table
from jaring.contributions.services.common import BILL, LINE, PAYER
from jaring.contributions.services.settlement import _bills_refresh
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import read_frame
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, audit_record

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
