"""Writes of the insights app: the refresh of the coverage aggregates (set-based, one month at a time, only the
months a job touched) and a region's denominator."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl
from django.db import transaction
from django.utils import timezone

from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import insert_frame
from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.insights import engine
from jaring.insights.models import CoverageFigure, CoverageRefresh, CoverageTarget, DirtyPeriod
from jaring.insights.selectors import dirty_marks, ledger_frames, ledger_months, region_check

EVERY = "*"
FIGURE = CoverageFigure._meta.db_table


@dataclass(frozen=True)
class RefreshResult:
    periods: list[str]
    rows: int
    seconds: float


def periods_mark(periods: Sequence[str] | None) -> None:
    """Months whose figures wait for the refresh job (None: every month), written in the caller's transaction:
    rolled back with it, committed with it."""
    DirtyPeriod.objects.bulk_create(
        [DirtyPeriod(period=p) for p in ([EVERY] if periods is None else periods)]
    )


def coverage_refresh(*, periods: Sequence[str] | None) -> RefreshResult:
    """Recompute the figures of these months (None: every month the ledger holds) from the ledger, at every
    level and split, and replace them in one transaction: a reader sees the old month or the new, never half."""
    started = time.perf_counter()
    run = CoverageRefresh.objects.create(started_at=timezone.now())
    months = ledger_months() if periods is None else sorted(set(periods))
    rows = 0
    if months:
        frames = ledger_frames(periods=months)
        out = [engine.rollup(engine.month_cube(period=p, **frames), period=p) for p in months]
        figures = pl.concat([f for f in out if f.height], how="vertical_relaxed") if any(f.height for f in out) \
            else pl.DataFrame()  # fmt: skip
        with transaction.atomic():
            if periods is None:
                CoverageFigure.objects.all().delete()
            else:
                CoverageFigure.objects.filter(period__in=months).delete()
            rows = insert_frame(FIGURE, figures) if figures.height else 0
    seconds = round(time.perf_counter() - started, 3)
    CoverageRefresh.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), periods="semua" if periods is None else ",".join(months)[:255], rows=rows,
        seconds=seconds,
    )  # fmt: skip
    return RefreshResult(months, rows, seconds)


def coverage_refresh_pending() -> RefreshResult | None:
    """Refresh the months marked so far, if any, then drop the marks it read (and only those)."""
    marks = dirty_marks()
    if not marks:
        return None
    periods = {p for _, p in marks}
    result = coverage_refresh(periods=None if EVERY in periods else sorted(periods))
    DirtyPeriod.objects.filter(pk__in=[pk for pk, _ in marks]).delete()
    return result


def coverage_target_set(
    *, region_code: str, workers: int, source: str, year: int, viewer: Viewer, actor: Actor
) -> CoverageTarget:
    """A region's denominator: its vulnerable/informal workers as counted by the region, with source and year.
    Only for a region in the viewer's scope; a new figure never overwrites the old one."""
    viewer.require(Permission.SET_TARGETS)
    region_check(viewer, region_code)
    source = (source or "").strip()
    this_year = timezone.localdate().year
    if workers is None or workers <= 0 or workers > 300_000_000:
        raise ValidationFailed("Jumlah pekerja harus bilangan bulat lebih dari 0.", code=ErrorCode.TARGET_INVALID,
                               field="workers")  # fmt: skip
    if not source or len(source) > 200:
        raise ValidationFailed("Tulis sumber angka ini (misalnya 'BPS Kab. Gresik'), paling banyak 200 huruf.",
                               code=ErrorCode.TARGET_INVALID, field="source")  # fmt: skip
    if not 2000 <= year <= this_year + 1:
        raise ValidationFailed(f"Tahun sumber harus antara 2000 dan {this_year + 1}.", code=ErrorCode.TARGET_INVALID,
                               field="year")  # fmt: skip
    with transaction.atomic():
        target = CoverageTarget.objects.create(region_code=region_code, workers=workers, source=source, year=year,
                                               created_by=actor_user(actor))  # fmt: skip
        audit_record(actor=actor, action=AuditAction.COVERAGE_TARGET_SET, entity_type=Entity.COVERAGE_TARGET,
                     entity_id=target.pk, changes={"region": region_code or "nasional", "workers": workers,
                                                   "source": source, "year": year})  # fmt: skip
    return target
