"""Background jobs of the intake (Django's task framework, database backend: no broker to install)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from jaring.core.selectors import SYSTEM, viewer_for
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.imports.services import import_commit, import_stage


@task()
def stage_batch(batch_id: int) -> str:
    return str(import_stage(batch_id=batch_id).status)


@task()
def commit_batch(batch_id: int, user_id: int | None) -> str:
    batch = ImportBatch.objects.select_related("committed_by").get(pk=batch_id)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    viewer = viewer_for(user) or SYSTEM
    try:
        return str(import_commit(batch_id=batch.pk, viewer=viewer, actor=user).status)
    except Exception:
        # The transaction rolled back: nothing was written; the batch can be committed again.
        ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.COMMITTING).update(
            status=BatchStatus.STAGED
        )
        raise
