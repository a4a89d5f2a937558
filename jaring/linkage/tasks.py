"""Background job of duplicate detection: a committed import batch checked against the whole registry."""

from __future__ import annotations

from django_tasks import task

from jaring.linkage.services import dedupe_run


@task()
def dedupe_batch(batch_id: int) -> int:
    return dedupe_run(batch_id=batch_id, actor=None).proposed
