from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from jaring.core.api import MAX_ID, Id, api_viewer, errors
from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.imports.models import ImportBatch
from jaring.imports.selectors import batch_get, batch_issues
from jaring.imports.services import import_upload
from jaring.imports.tasks import enqueue_commit, enqueue_stage

router = Router(tags=["imports"])


class BatchOut(Schema):
    batch_id: int
    file_name: str
    source: str
    status: str
    error_code: str
    error_message: str
    rows: int
    accepted: int
    warnings: int
    rejected: int
    duplicates_in_file: int
    existing_workers: int
    created_workers: int
    progress_phase: str
    progress_done: int
    progress_total: int
    already_uploaded: bool = False


def _out(batch: ImportBatch, *, already: bool = False) -> BatchOut:
    return BatchOut(
        batch_id=batch.pk, file_name=batch.file_name, source=batch.source, status=batch.status,
        error_code=batch.error_code, error_message=batch.error_message, rows=batch.rows, accepted=batch.accepted,
        warnings=batch.warnings, rejected=batch.rejected, duplicates_in_file=batch.duplicates_in_file,
        existing_workers=batch.existing_workers, created_workers=batch.created_workers,
        progress_phase=batch.progress_phase, progress_done=batch.progress_done, progress_total=batch.progress_total,
        already_uploaded=already,
    )  # fmt: skip


class IssueOut(Schema):
    sheet: str
    row: int
    column: str
    code: str
    severity: str
    message: str


@router.post(
    "/",
    response={201: BatchOut, 200: BatchOut, **errors(400, 404, 409)},
    summary="Upload a list; it is staged in the background (200: this file was uploaded before)",
)
def upload(
    request: HttpRequest,
    file: File[UploadedFile | None] = None,  # checked here: a missing file is the clerk's FILE_MISSING
    source: Form[str] = "",
    default_village_code: Form[str] = "",
) -> tuple[int, BatchOut]:
    viewer = api_viewer(request)
    if file is None or not file.name:
        raise ValidationFailed("Berkas tanpa nama.", code=ErrorCode.FILE_MISSING, field="file")
    result = import_upload(stream=file, file_name=file.name, source=source, default_village_code=default_village_code,
                           viewer=viewer, actor=request.user)  # fmt: skip
    if result.created:
        enqueue_stage(batch=result.batch)
    batch = batch_get(viewer=viewer, batch_id=result.batch.pk)
    return (201 if result.created else 200), _out(batch, already=not result.created)


@router.get(
    "/{batch_id}", response={200: BatchOut, **errors(404)}, summary="Status, progress and counts of a batch"
)
def status(request: HttpRequest, batch_id: Id) -> BatchOut:
    return _out(batch_get(viewer=api_viewer(request), batch_id=batch_id))


@router.get("/{batch_id}/issues", response={200: list[IssueOut], **errors(400, 404)},
            summary="Problems by sheet, row and column")  # fmt: skip
def issues(
    request: HttpRequest, batch_id: Id, severity: Annotated[str, Field(max_length=16)] = "",
    after_row: Annotated[int, Field(ge=0, le=MAX_ID)] = 0,
) -> list[Any]:  # fmt: skip
    return batch_issues(viewer=api_viewer(request), batch_id=batch_id, severity=severity, after_row=after_row)


@router.post("/{batch_id}/commit", response={202: BatchOut, **errors(400, 404, 409)},
             summary="Confirm: register the accepted rows")  # fmt: skip
def commit(request: HttpRequest, batch_id: Id) -> tuple[int, BatchOut]:
    viewer = api_viewer(request)
    enqueue_commit(batch_id=batch_id, viewer=viewer, actor=request.user)
    return 202, _out(batch_get(viewer=viewer, batch_id=batch_id))
