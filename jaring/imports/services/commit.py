"""Commit: the accepted rows registered in one transaction through the registry's intake (cards included)."""

from __future__ import annotations

import time

import polars as pl
from django.db import transaction
from django.utils import timezone

from jaring.core.audit import AuditAction, Entity
from jaring.core.errors import Conflict, ErrorCode, NotFound, PermissionDenied
from jaring.core.rules import may_import
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, audit_record
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.imports.selectors import staged_path
from jaring.imports.services.upload import _may_see_batch
from jaring.registry.rules.names import names_clearly_differ
from jaring.registry.selectors import workers_by_nik
from jaring.registry.services import proposals_create, workers_intake

CONTACT_FIELDS = ("phone", "address")


def import_commit(
    *, batch_id: int, viewer: Viewer, actor: Actor, check_duplicates: bool = True
) -> ImportBatch:
    """Register the accepted rows in one transaction: new workers are created, rows whose NIK is registered
    link to that worker and propose their changed contact details. Committing twice changes nothing."""
    if not may_import(viewer.role):
        raise PermissionDenied("Peran Anda tidak boleh menyimpan daftar pekerja.")
    started = time.perf_counter()
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or not _may_see_batch(viewer, batch):
            raise NotFound("Batch impor tidak ditemukan.")
        if batch.status == BatchStatus.COMMITTED:
            return batch
        if batch.status not in (BatchStatus.STAGED, BatchStatus.COMMITTING):
            raise Conflict(
                f"Batch berstatus '{batch.get_status_display()}': hanya batch yang siap ditinjau dapat disimpan.",
                code=ErrorCode.BATCH_NOT_STAGED,
            )
        staged = pl.read_parquet(staged_path(batch)).filter(pl.col("status") != "rejected")
        if not viewer.all_regions:  # each row is committed only inside the committer's regions (issue #13)
            staged = staged.filter(pl.any_horizontal(
                [(pl.col("village_code") == c) | pl.col("village_code").str.starts_with(c + ".")
                 for c in viewer.region_codes] or [pl.lit(False)]
            ))  # fmt: skip
        # The registry may have moved since staging: look the NIKs up again inside this transaction.
        existing = workers_by_nik(niks=staged.filter(pl.col("nik").is_not_null())["nik"].to_list())
        known = pl.Series(list(existing.keys()), dtype=pl.String)
        new_rows = staged.filter(pl.col("nik").is_null() | ~pl.col("nik").is_in(known.implode()))
        now = timezone.now()
        # A registered NIK under a clearly different person waits in the NIK-conflict queue (never merged).
        conflicts = [
            {"worker_id": existing[r["nik"]].id, "sheet": r["sheet"], "row": r["row"], "name": r["full_name"],
             "birth_date": r["birth_date"], "village_code": r["village_code"]}
            for r in staged.filter(pl.col("nik").is_in(known.implode()))
            .select("nik", "sheet", "row", "full_name", "birth_date", "village_code").iter_rows(named=True)
            if names_clearly_differ(r["full_name"], existing[r["nik"]].full_name)
        ]  # fmt: skip
        intake = workers_intake(
            rows=new_rows, linked_worker_ids=[w.id for w in existing.values()], batch_id=batch.pk,
            actor_id=viewer.user_id, actor=actor, nik_conflicts=conflicts, check_duplicates=check_duplicates,
        )  # fmt: skip
        created = intake.created
        proposals = []
        for r in (
            staged.filter(pl.col("nik").is_in(known.implode()))
            .select("nik", *CONTACT_FIELDS)
            .iter_rows(named=True)
        ):
            registered = existing[r["nik"]]
            current = (registered.phone, registered.address)
            for field, old in zip(CONTACT_FIELDS, current, strict=True):
                new = r[field] or ""
                if new and new != old:
                    proposals.append((registered.id, field, old, new))
        proposals_create(proposals=proposals, batch_id=batch.pk)
        batch.status = BatchStatus.COMMITTED
        batch.created_workers = created
        batch.existing_workers = len(existing)
        batch.proposals = len(proposals)
        batch.committed_at = now
        batch.committed_by_id = viewer.user_id
        batch.timings = {**batch.timings, "commit_s": round(time.perf_counter() - started, 2),
                         **{f"commit_{k}_s": v for k, v in intake.seconds.items()}}  # fmt: skip
        batch.save()
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT_COMMIT,
            entity_type=Entity.IMPORT_BATCH,
            entity_id=batch.pk,
            batch_ref=f"import-{batch.pk}",
            changes={
                "file_name": batch.file_name,
                "created_workers": created,
                "linked_existing": len(existing),
                "proposals": len(proposals),
                "cards_issued": intake.cards,
                "rejected_rows": batch.rejected,
            },
        )
    return batch
