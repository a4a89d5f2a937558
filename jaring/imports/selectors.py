"""Reads of the intake: batches the viewer may see, their issues, a preview of staged rows, exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.db.models import Count, Q, QuerySet

from jaring.core.config import setting_path
from jaring.core.errors import NotFound, PermissionDenied
from jaring.core.rules import mask_date, mask_nik
from jaring.core.selectors import Viewer
from jaring.imports.exports import rejected_xlsx
from jaring.imports.models import BatchStatus, ImportBatch, ImportIssue


# Where a batch's files live (outside the web root, under JARING_VAR_DIR).
def batch_dir(batch: ImportBatch) -> Path:
    return setting_path("IMPORT_DIR") / f"batch-{batch.pk}"


def staged_path(batch: ImportBatch) -> Path:
    return batch_dir(batch) / "staged.parquet"


def original_path(batch: ImportBatch) -> Path:
    return batch_dir(batch) / ("original" + Path(batch.file_name).suffix.lower())


def _visible(viewer: Viewer) -> QuerySet[ImportBatch]:
    qs = ImportBatch.objects.all()
    if viewer.all_regions:
        return qs
    q = Q(created_by_id=viewer.user_id)
    for code in viewer.region_codes:
        q |= Q(region_code=code) | Q(region_code__startswith=code + ".")
    return qs.filter(q)


def batch_list(*, viewer: Viewer, limit: int = 50) -> list[ImportBatch]:
    return list(_visible(viewer).select_related("created_by")[:limit])


def batch_get(*, viewer: Viewer, batch_id: int) -> ImportBatch:
    batch = _visible(viewer).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("Batch impor tidak ditemukan.")
    return batch


def _rows_allowed(viewer: Viewer) -> None:
    """Row details (cells as written, messages quoting them) carry NIKs, birth dates and phone numbers:
    only for roles that handle personal data (UU 27/2022). Others see counts and the problem summary."""
    if not viewer.sees_personal_data:
        raise PermissionDenied("Rincian baris daftar hanya untuk petugas yang mengelola data pribadi.")


def batch_issues(
    *, viewer: Viewer, batch_id: int, severity: str = "", after_row: int = 0, limit: int | None = 200
) -> list[ImportIssue]:
    batch = batch_get(viewer=viewer, batch_id=batch_id)
    _rows_allowed(viewer)
    qs = ImportIssue.objects.filter(batch=batch, row__gt=after_row)
    if severity in ("error", "warning"):
        qs = qs.filter(severity=severity)
    return list(qs.order_by("row", "id")[:limit])


def batch_issue_summary(*, viewer: Viewer, batch_id: int) -> list[dict[str, Any]]:
    """How many rows each problem affects: the first thing a secretary needs to fix a list."""
    batch = batch_get(viewer=viewer, batch_id=batch_id)
    return [
        dict(row)
        for row in ImportIssue.objects.filter(batch=batch)
        .values("code", "severity", "column")
        .annotate(n=Count("id"))
        .order_by("severity", "-n")
    ]


@dataclass(frozen=True)
class PreviewRow:
    sheet: str
    row: int
    status: str
    nik: str
    full_name: str
    birth_date: str
    village_code: str
    occupation: str
    problems: str
    existing_worker_id: int | None


def batch_preview(
    *, viewer: Viewer, batch_id: int, status: str = "", offset: int = 0, limit: int = 50
) -> list[PreviewRow]:
    batch = batch_get(viewer=viewer, batch_id=batch_id)
    if not viewer.sees_personal_data or batch.status not in (
        BatchStatus.STAGED,
        BatchStatus.COMMITTING,
        BatchStatus.COMMITTED,
    ):
        return []
    frame = pl.scan_parquet(staged_path(batch))
    if status in ("accepted", "warning", "rejected"):
        frame = frame.filter(pl.col("status") == status)
    rows = frame.slice(offset, limit).collect()
    full = viewer.sees_personal_data
    return [
        PreviewRow(
            sheet=r["sheet"],
            row=r["row"],
            status=r["status"],
            nik=(r["nik"] or r["raw_nik"] or "") if full else mask_nik(r["nik"] or r["raw_nik"]),
            full_name=r["full_name"] or "",
            birth_date=(f"{r['birth_date']:%d-%m-%Y}" if r["birth_date"] else r["raw_birth_date"] or "")
            if full
            else mask_date(r["birth_date"]),
            village_code=r["village_code"] or "",
            occupation=r["occupation"] or "",
            problems=r["problems"] or "",
            existing_worker_id=r["existing_worker_id"],
        )
        for r in rows.iter_rows(named=True)
    ]


def batch_rejected_xlsx(*, viewer: Viewer, batch_id: int) -> tuple[str, bytes]:
    batch = batch_get(viewer=viewer, batch_id=batch_id)
    _rows_allowed(viewer)
    if batch.status not in (BatchStatus.STAGED, BatchStatus.COMMITTING, BatchStatus.COMMITTED):
        raise NotFound("Batch ini belum diperiksa.")
    stem = batch.file_name.rsplit(".", 1)[0]
    return f"{stem}-ditolak.xlsx", rejected_xlsx(pl.read_parquet(staged_path(batch)))


def batch_counts(*, viewer: Viewer) -> dict[str, int]:
    """For a home page: every list the viewer may see, and those checked and waiting to be confirmed."""
    visible = _visible(viewer)
    return {"all": visible.count(), "to_confirm": visible.filter(status=BatchStatus.STAGED).count()}


def batch_owners(*, batch_ids: set[int]) -> dict[int, int | None]:
    """Who uploaded each list (for the page of one's own background work)."""
    return (
        dict(ImportBatch.objects.filter(pk__in=batch_ids).values_list("pk", "created_by_id"))
        if batch_ids
        else {}
    )


def batch_progress(*, batch_ids: set[int]) -> dict[int, str]:
    """Each list's progress as people read it: "1.200 / 5.000" while it is worked on."""
    rows = ImportBatch.objects.filter(pk__in=batch_ids, progress_total__gt=0).values_list(
        "pk", "progress_done", "progress_total"
    ) if batch_ids else []  # fmt: skip
    return {pk: f"{done:,} / {total:,}".replace(",", ".") for pk, done, total in rows}
