"""`GET /api/v1/insights/coverage`: the same document as `jaring coverage report --json`, for partners' systems
(issue #15), scoped to the caller (a regency's token sees its regency and below, a sponsor's its workers)."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from jaring.core.api import api_viewer, errors
from jaring.core.types import Period
from jaring.insights.selectors import coverage_report, report_doc, scope_root

router = Router(tags=["insights"])
MAX_ROWS = 10_000


class FigureOut(Schema):
    region_code: str | None = None
    code: str
    name: str
    level: int
    registered: int
    members: int
    covered: int
    arrears: int
    lapsed: int
    target: int | None
    coverage_pct: float | None
    target_source: str
    target_kind: str
    new: int
    renewed: int
    stopped: int
    lapsed_this_month: int
    billed_amount: int
    paid_amount: int
    claims_filed: int
    claims_paid: int
    claims_paid_amount: int
    goal_reached: bool | None = None


class CoverageOut(FigureOut):
    rows_total: int
    offset: int
    period: str
    by: str | None
    sponsor: str | None
    refreshed_at: str | None
    pending_months: list[str]
    rows: list[FigureOut]


@router.get("/coverage", response={200: CoverageOut, **errors(404)},
            summary="A region's coverage in one month, with one row per region below or per split")  # fmt: skip
def coverage(
    request: HttpRequest,
    region: Annotated[str | None, Field(max_length=13, pattern=r"^[0-9.]*$")] = None,
    period: Annotated[str, Field(max_length=7)] = "",
    by: Annotated[str, Field(max_length=16)] = "",
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Field(ge=1, le=MAX_ROWS)] = MAX_ROWS,
) -> dict[str, Any]:
    viewer = api_viewer(request)
    month = Period.parse(period) if period else Period.of(timezone.localdate())
    code = scope_root(viewer) if region is None else region  # without a region: the caller's own
    doc = report_doc(coverage_report(viewer=viewer, region_code=code, period=month, by=by))
    rows = doc["rows"]
    # a page of the rows (every village of a province is a few thousand; of the nation, 83,762)
    doc.update(rows=rows[offset : offset + limit], rows_total=len(rows), offset=offset)
    return doc
