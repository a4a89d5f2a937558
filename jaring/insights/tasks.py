"""The refresh job of the coverage figures. Every job that changes who is covered announces its months
(core.changes.coverage_changed, connected in InsightsConfig.ready): they are marked in the job's own
transaction, and one refresh is queued once it commits, so the figures are never staler than the last
finished job. Each announcement queues a refresh; the ones after the first find their marks gone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django_tasks import task

from jaring.core.context import traced
from jaring.insights.services import coverage_refresh_pending, periods_mark


@task()
@traced("task")
def refresh_coverage() -> int:
    """Refresh every month marked (several jobs' marks in one run); nothing marked, nothing done."""
    result = coverage_refresh_pending()
    return result.rows if result else 0


def coverage_announced(*, periods: Sequence[str] | None, **_: Any) -> None:
    periods_mark(periods)
    transaction.on_commit(refresh_coverage.enqueue)  # a second refresh of the same job finds nothing to do
