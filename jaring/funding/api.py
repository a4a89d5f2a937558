"""Funding endpoints: programs (list, create, allocate with a dry run), the budget planner and the workers
whose sponsorship ends soon."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from jaring.contributions.rules import payer_type_parse
from jaring.core.api import Id, StrictIn, api_viewer, errors
from jaring.core.types import Period
from jaring.funding.selectors import (
    BudgetPlan,
    EndingRow,
    ProgramRow,
    budget_plan,
    program_list,
    program_summary,
    sponsorship_ending,
)
from jaring.funding.services import allocation_run, program_create

router = Router(tags=["funding"])


class ProgramIn(StrictIn):
    sponsor_id: Id
    name: str = Field(max_length=200)
    budget: int
    first_period: str
    months: int
    jht: bool = False
    frequency: int = 1
    region_codes: list[str] = []
    occupations: list[str] = []
    ecosystems: list[str] = []
    age_min: int | None = None
    age_max: int | None = None
    decile_max: int | None = None
    only_uncovered: bool = False
    priority: str = "poorest"
    max_workers: int | None = None


class AllocateIn(StrictIn):
    dry_run: bool = False


class ProgramsOut(Schema):
    items: list[ProgramRow]


class AllocationOut(Schema):
    """What a run did (or would do, dry_run): workers assigned and waitlisted, by reason, and the cost."""

    run_id: int | None
    dry_run: bool
    seconds: float
    nobody_funded: dict[str, Any] | None  # why nobody was funded, in words, when that happened
    assigned: int
    assigned_months: int
    waitlisted: int
    waitlist_reasons: dict[str, int]
    excluded: int
    excluded_reasons: dict[str, int]
    budget_committed: int
    committed_by_run: int
    budget_left: int
    region_workers: int


class SponsorCount(Schema):
    sponsor: str
    workers: int


class EndingOut(Schema):
    today: str
    days: int
    truncated: bool
    by_sponsor: list[SponsorCount]
    items: list[EndingRow]


@router.get("/programs", response={200: ProgramsOut, **errors()},
            summary="Funding programs the viewer may see, with budget used and left")  # fmt: skip
def programs(request: HttpRequest) -> dict[str, Any]:
    return {"items": [dataclasses.asdict(p) for p in program_list(viewer=api_viewer(request))]}


@router.post("/programs", response={201: ProgramRow, **errors(400, 404, 409)},
             summary="Create a funding program of a sponsor")  # fmt: skip
def program_new(request: HttpRequest, body: ProgramIn) -> tuple[int, dict[str, Any]]:
    viewer = api_viewer(request)
    data = body.dict()
    program = program_create(**{**data, "first_period": Period.parse(body.first_period)}, viewer=viewer,
                             actor=request.user)  # fmt: skip
    return 201, dataclasses.asdict(program_summary(viewer=viewer, program_id=program.pk))


@router.post("/programs/{program_id}/allocate", response={200: AllocationOut, **errors(400, 404, 409)},
             summary="Allocate a program's budget (dry_run: keep nothing)")  # fmt: skip
def allocate(request: HttpRequest, program_id: Id, body: AllocateIn) -> dict[str, Any]:
    result = allocation_run(program_ids=[program_id], viewer=api_viewer(request), actor=request.user,
                            dry_run=body.dry_run)  # fmt: skip
    return {"run_id": result.run_id, "dry_run": result.dry_run, **result.totals(), "seconds": result.seconds}


Count = Annotated[
    int, Field(ge=-(10**12), le=10**12)
]  # bounded for the database; the rules say what is valid


@router.get("/budget-plan", response={200: BudgetPlan, **errors(400)},
            summary="Cost of N workers for M months, or how many workers a budget covers")  # fmt: skip
def plan(
    request: HttpRequest, payer_type: Annotated[str, Field(max_length=32)], months: Count,
    workers: Count | None = None, budget: Count | None = None, first_period: Annotated[str, Field(max_length=32)] = "",
    sector: Annotated[str, Field(max_length=10)] = "other", jht: bool = False,
) -> dict[str, Any]:  # fmt: skip
    api_viewer(request)
    first = Period.parse(first_period) if first_period else Period.of(timezone.localdate()).plus(1)
    found = budget_plan(payer_type=payer_type_parse(payer_type), months=months, first_period=first, workers=workers,
                        budget=budget, sector=sector, jht=jht)  # fmt: skip
    return dataclasses.asdict(found)


@router.get("/ending", response={200: EndingOut, **errors(400)},
            summary="Workers whose funded months end within `days` (default 60), not picked up")  # fmt: skip
def ending(request: HttpRequest, days: Count = 60) -> dict[str, Any]:
    report = sponsorship_ending(viewer=api_viewer(request), today=timezone.localdate(), days=days, limit=1000)
    return {"today": report.today.isoformat(), "days": report.days, "truncated": report.truncated,
            "by_sponsor": [{"sponsor": s, "workers": n} for s, n in report.by_sponsor],
            "items": [dataclasses.asdict(r) for r in report.rows]}  # fmt: skip
