"""Funding endpoints: programs (list, create, allocate with a dry run), the budget planner and the workers
whose sponsorship ends soon."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from jaring.contributions.rules import payer_type_parse
from jaring.core.api import api_viewer
from jaring.core.types import Period
from jaring.funding.selectors import budget_plan, program_list, program_summary, sponsorship_ending
from jaring.funding.services import allocation_run, program_create

router = Router(tags=["funding"])


class ProgramIn(Schema):
    sponsor_id: int
    name: str
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


class AllocateIn(Schema):
    dry_run: bool = False


@router.get("/programs", summary="Funding programs the viewer may see, with budget used and left")
def programs(request: HttpRequest) -> dict[str, Any]:
    return {"items": [dataclasses.asdict(p) for p in program_list(viewer=api_viewer(request))]}


@router.post("/programs", response={201: dict[str, Any]}, summary="Create a funding program of a sponsor")
def program_new(request: HttpRequest, body: ProgramIn) -> tuple[int, dict[str, Any]]:
    viewer = api_viewer(request)
    data = body.dict()
    program = program_create(**{**data, "first_period": Period.parse(body.first_period)}, viewer=viewer,
                             actor=request.user)  # fmt: skip
    return 201, dataclasses.asdict(program_summary(viewer=viewer, program_id=program.pk))


@router.post("/programs/{program_id}/allocate", summary="Allocate a program's budget (dry_run: keep nothing)")
def allocate(request: HttpRequest, program_id: int, body: AllocateIn) -> dict[str, Any]:
    result = allocation_run(program_ids=[program_id], viewer=api_viewer(request), actor=request.user,
                            dry_run=body.dry_run)  # fmt: skip
    return {"run_id": result.run_id, "dry_run": result.dry_run, **result.totals(), "seconds": result.seconds}


@router.get("/budget-plan", summary="Cost of N workers for M months, or how many workers a budget covers")
def plan(
    request: HttpRequest, payer_type: str, months: int, workers: int | None = None, budget: int | None = None,
    first_period: str = "", sector: str = "other", jht: bool = False,
) -> dict[str, Any]:  # fmt: skip
    api_viewer(request)
    first = Period.parse(first_period) if first_period else Period.of(timezone.localdate()).plus(1)
    found = budget_plan(payer_type=payer_type_parse(payer_type), months=months, first_period=first, workers=workers,
                        budget=budget, sector=sector, jht=jht)  # fmt: skip
    return dataclasses.asdict(found)


@router.get("/ending", summary="Workers whose funded months end within `days` (default 60), not picked up")
def ending(request: HttpRequest, days: int = 60) -> dict[str, Any]:
    report = sponsorship_ending(viewer=api_viewer(request), today=timezone.localdate(), days=days, limit=1000)
    return {"today": report.today.isoformat(), "days": report.days, "truncated": report.truncated,
            "by_sponsor": [{"sponsor": s, "workers": n} for s, n in report.by_sponsor],
            "items": [dataclasses.asdict(r) for r in report.rows]}  # fmt: skip
