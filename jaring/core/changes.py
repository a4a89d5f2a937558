"""What the jobs announce when who is covered may have changed (bill lines billed, paid or lapsed; workers
registered, edited or merged), so that the aggregates above them (insights) follow without the jobs knowing them
(issue #15). `coverage_touched` sends `coverage_changed` at once, inside the job's transaction, with `periods`:
the contribution months touched ("YYYY-MM"), or None for "every month" (a merge moves a worker's whole history).
A receiver writes what it must in the same transaction (marks the months to refresh), so a job rolled back
leaves no mark, and a committed job none missing."""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

coverage_changed = Signal()


def coverage_touched(periods: Iterable[str] | None) -> None:
    """Announce months whose figures changed; None: every month. Nothing to announce, nothing sent."""
    if periods is None:
        coverage_changed.send(sender=coverage_touched, periods=None)
        return
    months = sorted({str(p) for p in periods if p})
    if months:
        coverage_changed.send(sender=coverage_touched, periods=months)
