"""Staging: every row validated (fast path, then the registry's record rule), nothing written to the registry;
the staged rows kept as Parquet for review."""

from __future__ import annotations

import logging
import resource
import subprocess
import sys
import time
from collections.abc import Callable

import polars as pl
from django.db import transaction
from django.utils import timezone

from jaring.core.bulk import insert_rows
from jaring.core.config import setting_int
from jaring.core.errors import ErrorCode, FileRejected
from jaring.core.rules import common_region
from jaring.core.selectors import viewer_for
from jaring.imports.fastpath import fast_validate
from jaring.imports.models import BatchStatus, ImportBatch, ImportIssue
from jaring.imports.reading import Sheet, cell_text, read_sheets
from jaring.imports.selectors import original_path, staged_path
from jaring.regions.selectors import village_codes
from jaring.registry.rules import rows as record
from jaring.registry.rules.names import names_clearly_differ
from jaring.registry.selectors import Registered, row_context, workers_by_nik
from jaring.registry.services import name_key_expr

Progress = Callable[[str, int, int], None]


def _set_progress(batch_id: int, phase: str, done: int, total: int) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        progress_phase=phase, progress_done=done, progress_total=total
    )


STAGED_SCHEMA = {
    "sheet": pl.String, "row": pl.Int64, "status": pl.String, "problems": pl.String,
    "nik": pl.String, "full_name": pl.String, "sex": pl.String, "birth_place": pl.String, "birth_date": pl.Date,
    "mother_name": pl.String, "address": pl.String, "village_code": pl.String, "phone": pl.String,
    "occupation": pl.String, "occupation_text": pl.String, "ecosystem": pl.String, "sector": pl.String,
    "income_tier": pl.Int64, "poverty_decile": pl.Int64,
    **{f"raw_{f}": pl.String for f in record.TEMPLATE_FIELDS},
}  # fmt: skip


def import_stage(*, batch_id: int, progress: Progress | None = None) -> ImportBatch:
    """Validate every row of a batch's file into staged.parquet and the issue list. Writes nothing to the
    registry. A file that cannot be used marks the batch failed with one clear reason."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status not in (BatchStatus.QUEUED, BatchStatus.STAGING):
        return batch
    ImportBatch.objects.filter(pk=batch_id).update(status=BatchStatus.STAGING)
    started = time.perf_counter()

    def report(phase: str, done: int, total: int) -> None:
        _set_progress(batch_id, phase, done, total)
        if progress:
            progress(phase, done, total)

    try:
        frames, issues = _validate_file(batch, report)
    except FileRejected as exc:
        ImportIssue.objects.filter(batch_id=batch_id).delete()
        ImportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error_code=exc.code, error_message=exc.message, progress_phase=""
        )
        batch.refresh_from_db()
        return batch
    t_read = time.perf_counter()
    # Each chunk is already in row order (see _validate_file), and chunks and sheets come in file order.
    staged = (
        pl.concat(frames, how="vertical").drop("_sheet_order")
        if frames
        else pl.DataFrame(schema=STAGED_SCHEMA)
    )
    del frames
    staged, dup_issues = _mark_duplicates_in_file(staged)
    issues.extend(dup_issues)
    report("registry", 0, staged.height)
    accepted_niks = staged.filter((pl.col("status") != "rejected") & pl.col("nik").is_not_null())[
        "nik"
    ].to_list()
    existing = workers_by_nik(niks=accepted_niks)
    staged = staged.with_columns(
        pl.col("nik")
        .replace_strict({k: v[0] for k, v in existing.items()}, default=None, return_dtype=pl.Int64)
        .alias("existing_worker_id")
    )
    staged, name_issues = _warn_nik_name_mismatch(staged, existing)
    issues.extend(name_issues)
    path = staged_path(batch)
    path.parent.mkdir(parents=True, exist_ok=True)
    staged.write_parquet(path, compression="zstd")
    region = rows_region(staged, uploader=_batch_scope(batch))
    counts = staged.group_by("status").len()
    by_status = dict(zip(counts["status"].to_list(), counts["len"].to_list(), strict=True))
    with transaction.atomic():
        ImportIssue.objects.filter(batch_id=batch_id).delete()
        insert_rows(
            ImportIssue._meta.db_table,
            ("batch_id", "sheet", "row", "column", "code", "severity", "message"),
            ((batch_id, *i) for i in issues),
        )
        ImportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.STAGED,
            region_code=region,
            rows=staged.height,
            accepted=by_status.get("accepted", 0) + by_status.get("warning", 0),
            warnings=by_status.get("warning", 0),
            rejected=by_status.get("rejected", 0),
            duplicates_in_file=len(dup_issues),
            existing_workers=len(existing),
            staged_at=timezone.now(),
            progress_phase="",
            progress_done=staged.height,
            progress_total=staged.height,
            timings={
                "read_validate_s": round(t_read - started, 2),
                "stage_s": round(time.perf_counter() - started, 2),
            },
        )
    batch.refresh_from_db()
    return batch


logger = logging.getLogger("jaring.imports")

TOO_COMPLEX = (
    "Berkas ini tidak dapat diperiksa dalam batas memori ({mb} MB) atau waktu; tidak ada yang disimpan. Simpan ulang "
    "hanya daftar pekerjanya (tanpa lembar atau format lain), atau bagi menjadi beberapa berkas, lalu unggah lagi."
)


CHILD_COMMAND = [sys.executable, "-m", "jaring.imports.child"]


def import_stage_isolated(*, batch_id: int, timeout: float = 3600) -> ImportBatch:
    """`import_stage` in a child process with JARING IMPORT_MEMORY_MB of memory (issue #13: one crafted file
    aborted the background worker, and every later job stayed queued). A child that dies, runs out of memory or
    time fails its own batch with a clear reason; the caller, the worker, goes on."""
    mb = setting_int("IMPORT_MEMORY_MB")

    def limit() -> None:  # runs in the child before it starts Python
        resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))

    try:
        done = subprocess.run([*CHILD_COMMAND, str(batch_id)], preexec_fn=limit,
                              capture_output=True, timeout=timeout, check=False)  # fmt: skip
        failed = done.returncode != 0
        detail = done.stderr.decode(errors="replace")[-2000:]
    except subprocess.TimeoutExpired:
        failed, detail = True, "timeout"
    if failed:
        logger.warning(
            "import check of batch %s ended badly: %s", batch_id, detail.strip().splitlines()[-1:] or ""
        )
        ImportBatch.objects.filter(pk=batch_id, status__in=[BatchStatus.QUEUED, BatchStatus.STAGING]).update(
            status=BatchStatus.FAILED, error_code=ErrorCode.FILE_TOO_COMPLEX, error_message=TOO_COMPLEX.format(mb=mb),
            progress_phase="",
        )  # fmt: skip
    return ImportBatch.objects.get(pk=batch_id)


INTERRUPTED = (
    "Pemeriksaan atau penyimpanan daftar terhenti karena pekerja latar berhenti; tidak ada yang disimpan. Unggah "
    "ulang berkasnya (atau simpan lagi bila sudah diperiksa)."
)


def batches_interrupted(*, committing_to_staged: bool = True) -> dict[str, int]:
    """When the background worker starts, nothing of its is running: a batch left "being checked" failed (its
    file may be what stopped the worker, so it is not checked again by itself), a batch left "being saved" rolled
    back and can be saved again. Visible on the batch's page."""
    failed = ImportBatch.objects.filter(status=BatchStatus.STAGING).update(
        status=BatchStatus.FAILED,
        error_code=ErrorCode.WORKER_STOPPED,
        error_message=INTERRUPTED,
        progress_phase="",
    )
    back = (
        ImportBatch.objects.filter(status=BatchStatus.COMMITTING).update(status=BatchStatus.STAGED)
        if committing_to_staged
        else 0
    )
    return {"batches_failed": failed, "batches_back_to_review": back}


def _validate_file(batch: ImportBatch, report: Progress) -> tuple[list[pl.DataFrame], list[tuple]]:
    sheets = read_sheets(original_path(batch), batch.file_name)
    ctx = row_context(
        today=timezone.localdate(), village_codes=village_codes(), default_village=batch.default_village_code
    )
    validator = record.RowValidator(ctx)
    scope = _batch_scope(batch)
    max_rows = setting_int("IMPORT_MAX_ROWS")
    frames: list[pl.DataFrame] = []
    issues: list[tuple] = []
    done = 0
    total = sum(sheet.rows_estimate for sheet in sheets)
    for order, sheet in enumerate(sheets):
        for chunk in sheet.chunks:
            done += chunk.frame.height
            if done > max_rows:
                raise FileRejected(
                    f"Berkas berisi lebih dari {max_rows:,} baris. Bagi daftar menjadi beberapa berkas.".replace(
                        ",", "."
                    ),
                    code=ErrorCode.FILE_TOO_LARGE,
                )
            clean, slow = fast_validate(chunk.frame, validator, scope)
            parts: list[pl.DataFrame] = []
            if clean.height:
                parts.append(
                    clean.with_columns(
                        pl.lit(sheet.name).alias("sheet"), pl.lit("accepted").alias("status"), pl.lit("").alias("problems"),
                        *[pl.lit(None, dtype=pl.String).alias(f"raw_{f}") for f in record.TEMPLATE_FIELDS],
                        pl.lit(order).alias("_sheet_order"),
                    ).select(*STAGED_SCHEMA, "_sheet_order")
                )  # fmt: skip
            if slow:
                row_numbers = chunk.frame["row"].gather(slow).to_list()
                part = _validate_rows(sheet, chunk.cells(slow), row_numbers, validator, scope, issues)
                parts.append(part.with_columns(pl.lit(order).alias("_sheet_order")))
            if parts:
                frames.append(pl.concat(parts, how="vertical").sort("row"))
            report("validate", done, max(total, done))
    return frames, issues


def _validate_rows(
    sheet: Sheet,
    rows: list[dict[str, object]],
    row_numbers: list[int],
    validator: record.RowValidator,
    scope: tuple[str, ...] | None,
    issues: list[tuple],
) -> pl.DataFrame:
    """RowValidator on the rows the fast path did not settle: every problem with sheet, row and column."""
    cols: dict[str, list[object]] = {c: [] for c in STAGED_SCHEMA}
    for cells, row_number in zip(rows, row_numbers, strict=True):
        result = validator.validate(cells)
        village = str(result.values["village_code"] or "")
        if (
            scope is not None
            and village
            and not any(village == s or village.startswith(s + ".") for s in scope)
        ):
            result.issues.append(
                record.RowIssue(
                    "village_code", "VILLAGE_OUT_OF_SCOPE",
                    f"Desa {village} di luar wilayah kerja pengunggah; daftar ini hanya untuk wilayah "
                    f"{', '.join(scope)}.", record.ERROR,
                )
            )  # fmt: skip
        cols["sheet"].append(sheet.name)
        cols["row"].append(row_number)
        for f in record.VALUE_FIELDS:
            cols[f].append(result.values[f])
        status = result.status
        problems = []
        for issue in result.issues:
            label = sheet.header.label(issue.field)
            issues.append((sheet.name, row_number, label, issue.code, issue.severity, issue.message))
            problems.append(f"{label}: {issue.message}")
        cols["status"].append(status)
        cols["problems"].append(" | ".join(problems))
        # The cells as written are kept for rejected rows: they go back to the village to be fixed.
        for f in record.TEMPLATE_FIELDS:
            source = "birth_place_date" if f == "birth_date" and "birth_date" not in cells else f
            cols[f"raw_{f}"].append(cell_text(cells.get(source)) if status == "rejected" else None)
    return pl.DataFrame(cols, schema=STAGED_SCHEMA)


def rows_region(staged: pl.DataFrame, *, uploader: tuple[str, ...] | None) -> str:
    """The smallest region that holds every row of a list (issue #13): a batch is visible to a region's users
    only when all its rows lie in their region, whatever village the uploader chose as the default. Rows with
    no village count as the uploader's ("" = national: the uploader and national roles only)."""
    villages = staged.filter(pl.col("village_code").is_not_null())["village_code"].unique().to_list()
    codes = [str(v) for v in villages if v]
    if staged.height > len(staged.filter(pl.col("village_code").is_not_null())):
        if uploader is None:
            return ""
        codes.extend(uploader)
    return common_region(codes)


def _batch_scope(batch: ImportBatch) -> tuple[str, ...] | None:
    """Rows must lie in the uploader's regions; an administrator's (all-region) batch has no limit."""
    viewer = viewer_for(batch.created_by) if batch.created_by_id else None
    if viewer is None or viewer.all_regions:
        return None
    return viewer.region_codes


def _mark_duplicates_in_file(staged: pl.DataFrame) -> tuple[pl.DataFrame, list[tuple]]:
    """A NIK seen twice in one file: the first row stands, every later row is rejected, naming the first.
    Only the status, problem and raw-cell columns are rewritten; the rest of the frame is shared."""
    keys = staged.select("nik", "row", "sheet").with_row_index("_i").filter(pl.col("nik").is_not_null())
    first = keys.group_by("nik").agg(
        pl.col("_i").min().alias("_first_i"),
        pl.col("row").sort_by("_i").first().alias("_fr"),
        pl.col("sheet").sort_by("_i").first().alias("_fs"),
    )
    dups = keys.join(first, on="nik").filter(pl.col("_i") != pl.col("_first_i")).sort("_i")
    if dups.height == 0:
        return staged, []
    issues = []
    positions, messages = [], []
    for i, sheet, row, first_row, first_sheet in dups.select("_i", "sheet", "row", "_fr", "_fs").iter_rows():
        where = f"baris {first_row}" if first_sheet == sheet else f"lembar {first_sheet} baris {first_row}"
        message = f"NIK sama dengan {where} di berkas ini: satu orang hanya boleh muncul sekali."
        issues.append((sheet, row, "NIK", "NIK_DUPLICATE_IN_FILE", "error", message))
        positions.append(i)
        messages.append(f"NIK: {message}")
    marks = pl.Series("_m", [None] * 0, dtype=pl.String).extend_constant(None, staged.height)
    marks = marks.scatter(positions, messages)
    dup = marks.is_not_null()
    # These rows passed every other check, so their cells were not kept: write them back from the values.
    as_text = {
        "birth_date": pl.col("birth_date").dt.strftime("%d-%m-%Y"),
        "income": pl.col("income_tier").cast(pl.String),
        "poverty_decile": pl.col("poverty_decile").cast(pl.String),
    }
    raw = [
        pl.when(dup & pl.col(f"raw_{f}").is_null())
        .then(as_text.get(f, pl.col(f) if f in staged.columns else pl.lit(None, pl.String)))
        .otherwise(pl.col(f"raw_{f}"))
        .alias(f"raw_{f}")
        for f in record.TEMPLATE_FIELDS
    ]
    staged = staged.with_columns(
        pl.when(dup).then(pl.lit("rejected")).otherwise(pl.col("status")).alias("status"),
        pl.when(~dup)
        .then(pl.col("problems"))
        .when(pl.col("problems") == "")
        .then(marks)
        .otherwise(pl.col("problems") + " | " + marks)
        .alias("problems"),
        *raw,
    )
    return staged, issues


NIK_NAME_MISMATCH = (
    "NIK ini sudah terdaftar atas nama orang yang tampaknya berbeda. Periksa NIK dan nama: bila NIK salah ketik, "
    "perbaiki lalu unggah lagi; bila benar, petugas kantor cabang akan memeriksanya."
)


def _warn_nik_name_mismatch(
    staged: pl.DataFrame, existing: dict[str, Registered]
) -> tuple[pl.DataFrame, list[tuple]]:
    """A row whose NIK is registered to a clearly different name links to that worker, with a warning the
    reviewer sees. The registered name is not shown: it may lie outside the uploader's region."""
    if not existing:
        return staged, []
    registered_names = {nik: w.full_name for nik, w in existing.items()}
    linked = (
        staged.with_row_index("_i")
        .filter(pl.col("existing_worker_id").is_not_null() & (pl.col("status") != "rejected"))
        .select("_i", "sheet", "row", "nik", "full_name")
        .with_columns(
            pl.col("nik").replace_strict(registered_names, default=None, return_dtype=pl.String).alias("_reg")
        )
        .filter(
            name_key_expr(pl.col("full_name")) != name_key_expr(pl.col("_reg"))
        )  # same spelling: nothing to say
    )
    positions, issues = [], []
    for i, sheet, row, _nik, name, registered in linked.iter_rows():
        if names_clearly_differ(name, registered):
            positions.append(i)
            issues.append((sheet, row, "NIK", "NIK_NAME_MISMATCH", "warning", NIK_NAME_MISMATCH))
    if not positions:
        return staged, []
    flagged = pl.Series("_f", [False] * staged.height).scatter(positions, True)
    message = f"NIK: {NIK_NAME_MISMATCH}"
    staged = staged.with_columns(
        pl.when(flagged & (pl.col("status") == "accepted"))
        .then(pl.lit("warning"))
        .otherwise(pl.col("status"))
        .alias("status"),
        pl.when(~flagged)
        .then(pl.col("problems"))
        .when(pl.col("problems") == "")
        .then(pl.lit(message))
        .otherwise(pl.col("problems") + " | " + message)
        .alias("problems"),
    )
    return staged, issues
