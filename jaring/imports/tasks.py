"""Background jobs of the intake (Django's task framework, database backend: no broker to install).
Interfaces call enqueue_stage / enqueue_commit; the job starts once the request's transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task

from jaring.core.audit import AuditAction, Entity
from jaring.core.context import traced
from jaring.core.errors import Conflict, ErrorCode, PermissionDenied
from jaring.core.rules import may_import
from jaring.core.selectors import SYSTEM, Viewer, viewer_for
from jaring.core.services import Actor, audit_record
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.imports.selectors import batch_get
from jaring.imports.services import import_commit, import_stage, import_stage_isolated

STAGE_FAILED_MESSAGE = (
    "Pemeriksaan berkas terhenti karena kesalahan sistem; tidak ada yang disimpan. Unggah ulang berkas, atau "
    "hubungi administrator dengan nomor batch ini."
)


@task()
@traced("task")
def stage_batch(batch_id: int) -> str:
    """A list's check. With JARING IMPORT_ISOLATED (the default) it runs in a child process with a memory
    limit, so that a crafted file fails its own batch and the worker goes on with the next job."""
    try:
        if settings.JARING.get("IMPORT_ISOLATED", True):
            return str(import_stage_isolated(batch_id=batch_id).status)
        return str(import_stage(batch_id=batch_id).status)
    except Exception:
        # Nothing reached the registry; say so on the batch instead of leaving it "being checked" for ever.
        ImportBatch.objects.filter(pk=batch_id, status__in=[BatchStatus.QUEUED, BatchStatus.STAGING]).update(
            status=BatchStatus.FAILED, error_code="STAGE_FAILED", error_message=STAGE_FAILED_MESSAGE
        )
        raise


@task()
@traced("task")
def commit_batch(batch_id: int, user_id: int | None) -> str:
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    viewer = viewer_for(user) or SYSTEM
    try:
        status = str(import_commit(batch_id=batch_id, viewer=viewer, actor=user).status)
    except Exception:
        # The commit transaction rolled back: nothing was written, and the batch may be committed again.
        ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.COMMITTING).update(
            status=BatchStatus.STAGED
        )
        raise
    return status  # duplicate detection hears of the intake from the registry (linkage.tasks)


def enqueue_stage(*, batch: ImportBatch) -> None:
    if batch.status == BatchStatus.QUEUED:
        transaction.on_commit(lambda: stage_batch.enqueue(batch.pk))


def enqueue_commit(*, batch_id: int, viewer: Viewer, actor: Actor) -> ImportBatch:
    """A person confirmed the preview: mark the batch and hand the commit to the background worker."""
    if not may_import(viewer.role):
        raise PermissionDenied("Peran Anda tidak boleh menyimpan daftar pekerja.")
    batch = batch_get(viewer=viewer, batch_id=batch_id)
    with transaction.atomic():
        updated = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.STAGED).update(
            status=BatchStatus.COMMITTING
        )
        if not updated:
            batch.refresh_from_db()
            if batch.status in (BatchStatus.COMMITTING, BatchStatus.COMMITTED):
                return batch
            raise Conflict("Hanya daftar yang siap ditinjau dapat disimpan.", code=ErrorCode.BATCH_NOT_STAGED)
        audit_record(actor=actor, action=AuditAction.IMPORT_CONFIRM, entity_type=Entity.IMPORT_BATCH, entity_id=batch.pk,
                     batch_ref=f"import-{batch.pk}")  # fmt: skip
        transaction.on_commit(lambda: commit_batch.enqueue(batch.pk, viewer.user_id))
    batch.refresh_from_db()
    return batch
