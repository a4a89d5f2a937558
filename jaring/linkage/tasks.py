"""Background job of duplicate detection: a committed import batch checked against the whole registry. The
registry announces every committed list (registry.signals.workers_registered); `intake_announced` is
connected in LinkageConfig.ready."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django_tasks import task

from jaring.core.context import traced
from jaring.linkage.services import dedupe_run, nik_check_record, nik_conflicts_record


@task()
@traced("task")
def dedupe_batch(batch_id: int) -> int:
    return dedupe_run(batch_id=batch_id, actor=None).proposed


def intake_announced(
    *, batch_id: int, nik_conflicts: Sequence[Mapping[str, Any]], check_duplicates: bool, **_: Any
) -> None:
    """A registered NIK under a clearly different person waits in the NIK-conflict queue (never merged); the
    batch's new workers are checked against the registry in the background once the commit is durable."""
    nik_conflicts_record(batch_id=batch_id, rows=[dict(r) for r in nik_conflicts])
    if check_duplicates and settings.JARING.get("DEDUPE_ON_COMMIT", True):
        transaction.on_commit(lambda: dedupe_batch.enqueue(batch_id))


def nik_check_announced(
    *, worker_id: int, name: str, birth_date: str, village_code: str, user_id: int | None, **_: Any
) -> None:
    """registry.signals.nik_check_requested: the case goes to the NIK-conflict queue of the worker's branch."""
    nik_check_record(worker_id=worker_id, name=name, birth_date=birth_date, village_code=village_code,
                     user_id=user_id)  # fmt: skip
