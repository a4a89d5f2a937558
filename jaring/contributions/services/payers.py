"""Payers (self-paying workers, agents' collections, funding programs) and who pays for whom."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from jaring.contributions import rules
from jaring.contributions.models import (
    Payer,
    PayerKind,
)
from jaring.contributions.rules import PayerType
from jaring.contributions.services.common import ASSIGNMENT, MEMBERSHIP, PAYER, WORKER, _va_prefix
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import db_datetime, insert_frame, read_frame
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.services import Actor, actor_user, audit_record, counter_take
from jaring.core.types import Period
from jaring.regions.selectors import region_get

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
