"""Legacy funding lists (what a sponsor paid before Jaring), recorded for the overlap report."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from django.db import transaction

from jaring.contributions.selectors import due_table
from jaring.contributions.services import payer_assign_frame
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import insert_frame, read_frame
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, audit_record
from jaring.core.types import Period
from jaring.funding.models import (
    AllocationSource,
    Program,
)
from jaring.funding.selectors import (
    program_q,
)
from jaring.funding.services.common import ALLOCATION, WORKER, _programs_refresh

# ------------------------------------------------------------------------------------- legacy and donations


def allocation_record_legacy(
    *,
    program_id: int,
    worker_ids: Sequence[int],
    first_period: Period,
    last_period: Period,
    viewer: Viewer,
    actor: Actor,
) -> int:
    """Funding that was decided before Jaring (a regency's Excel list): recorded as it was, overlaps included,
    so that the overlap report can show them. The months are billed to this program from now on only where no
    newer assignment says otherwise."""
    viewer.require(Permission.MANAGE_FUNDING)
    if last_period < first_period:
        raise ValidationFailed(
            "Bulan akhir harus sesudah bulan awal.", code=ErrorCode.PERIOD_RANGE_INVALID, field="last_period"
        )
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(program_q(viewer), pk=program_id).first()
        if program is None:
            raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
        ids = sorted(set(worker_ids))
        months = last_period.index - first_period.index + 1
        frame = pl.DataFrame({"worker_id": ids}, schema={"worker_id": pl.Int64}).join(
            read_frame(f"SELECT id, income_tier, sector FROM {WORKER} WHERE id IN ({', '.join(['%s'] * len(ids)) or 'NULL'})",
                       ids, {"worker_id": pl.Int64, "income": pl.Int64, "sector": pl.String}), on="worker_id")  # fmt: skip
        if frame.height != len(ids):
            raise NotFound("Sebagian pekerja tidak ditemukan.", code=ErrorCode.WORKER_NOT_FOUND)
        combos = (
            frame.select("income", "sector")
            .unique()
            .join(pl.DataFrame({"period": [str(first_period.plus(i)) for i in range(months)]}), how="cross")
            .with_columns(pl.lit(program.payer_type).alias("payer_type"), pl.lit(program.jht).alias("jht"))
        )
        prices = due_table(combos.select("income", "sector", "payer_type", "jht", "period"))
        per_worker = prices.group_by("income", "sector").agg(pl.col("amount").sum().alias("cost"))
        rows = frame.join(per_worker, on=["income", "sector"]).select(
            pl.lit(program.pk).alias("program_id"), "worker_id", pl.lit(None, dtype=pl.Int64).alias("run_id"),
            pl.lit(str(first_period)).alias("first_period"), pl.lit(str(last_period)).alias("last_period"),
            pl.lit(months).alias("months"), "cost", pl.lit(AllocationSource.LEGACY.value).alias("source"),
            pl.lit(None, dtype=pl.Int64).alias("rank"),
        )  # fmt: skip
        if int(rows.get_column("cost").sum()) + program.committed > program.budget:
            raise ValidationFailed(
                "Daftar lama melebihi anggaran program: naikkan anggaran dulu.",
                code=ErrorCode.BUDGET_EXCEEDED,
                field="budget",
            )
        count = insert_frame(ALLOCATION, rows)
        payer_assign_frame(
            frame=rows.select(
                "worker_id", pl.lit(program.payer_id).alias("payer_id"), "first_period", "last_period"
            ),
            actor=actor,
        )
        _programs_refresh([program.pk])
        audit_record(actor=actor, action=AuditAction.ALLOCATION_LEGACY, entity_type=Entity.PROGRAM, entity_id=program.pk,
                     changes={"workers": count, "first_period": str(first_period), "last_period": str(last_period)})  # fmt: skip
    return count
