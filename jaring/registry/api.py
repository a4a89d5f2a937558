"""Worker endpoints. A search by NIK is a POST: NIKs never travel in URLs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from jaring.core.api import ErrorOut, Id, StrictIn, api_viewer, errors
from jaring.registry.selectors import (
    HistoryEntry,
    WorkerFilters,
    WorkerRow,
    worker_get,
    worker_history,
    worker_kpj,
    worker_list,
)
from jaring.registry.services import worker_register, worker_update

router = Router(tags=["workers"])


class SearchIn(StrictIn):
    q: str = Field("", max_length=200)
    region_code: str = Field("", max_length=13)
    occupation: str = Field("", max_length=100)
    after: Id | None = None
    limit: int = Field(50, ge=1, le=200)


class WorkerIn(StrictIn):
    nik: str = ""
    full_name: str
    sex: str = ""
    birth_place: str = ""
    birth_date: str = ""
    mother_name: str = ""
    address: str = ""
    village_code: str
    phone: str = ""
    occupation: str = ""
    ecosystem: str = ""
    sector: str = ""
    income: str = ""
    poverty_decile: str = ""


class WorkerPatch(StrictIn):
    full_name: str | None = None
    sex: str | None = None
    birth_place: str | None = None
    birth_date: dt.date | None = None
    mother_name: str | None = None
    address: str | None = None
    village_code: str | None = None
    phone: str | None = None
    occupation: str | None = None
    income_tier: int | None = Field(None, ge=0, le=100)
    poverty_decile: int | None = Field(None, ge=1, le=10)


class SearchOut(Schema):
    rows: list[WorkerRow]
    next_after: int | None  # keyset cursor: pass it as `after` for the next page


class MembershipOut(Schema):
    kpj: str
    status: str
    registered_at: dt.datetime


class WorkerOut(Schema):
    """One worker; NIK, birth date, mother's name and phone masked for roles that do not see personal data."""

    row: WorkerRow
    birth_place: str
    mother_name: str
    address: str
    phone: str
    district_name: str
    regency_name: str
    province_name: str
    ecosystem_label: str
    sector: str
    income_tier: int
    poverty_decile: int | None
    occupation_text: str
    created_at: dt.datetime
    created_batch_id: int | None
    merged_into_id: int | None
    memberships: list[MembershipOut]
    history: list[HistoryEntry]


class RegisteredOut(Schema):
    id: int
    kpj: str


class UpdatedOut(Schema):
    id: int


@router.post("/search", response={200: SearchOut, **errors(400)},
             summary="Search workers by name or NIK (keyset pages, no total count)")  # fmt: skip
def search(request: HttpRequest, body: SearchIn) -> dict[str, Any]:
    viewer = api_viewer(request)
    page = worker_list(
        viewer=viewer,
        filters=WorkerFilters(q=body.q, region_code=body.region_code, occupation=body.occupation),
        after=body.after,
        limit=body.limit,
    )
    return {"rows": [dataclasses.asdict(r) for r in page.rows], "next_after": page.next_after}


@router.get("/{worker_id}", response={200: WorkerOut, **errors(404)},
            summary="One worker with the history of every change")  # fmt: skip
def detail(request: HttpRequest, worker_id: Id) -> dict[str, Any]:
    viewer = api_viewer(request)
    d = worker_get(viewer=viewer, worker_id=worker_id)
    out = dataclasses.asdict(d)
    out["memberships"] = [
        {"kpj": m.kpj, "status": m.status, "registered_at": m.registered_at} for m in d.memberships
    ]
    out["history"] = [dataclasses.asdict(h) for h in worker_history(viewer=viewer, worker_id=worker_id)]
    return out


@router.post("/", response={201: RegisteredOut, 202: ErrorOut, **errors(400, 404, 409)},
             summary="Register one worker (same rules as a list row); 202: the NIK is checked by the branch first")  # fmt: skip
def register(request: HttpRequest, body: WorkerIn) -> tuple[int, dict[str, Any]]:
    viewer = api_viewer(request)
    worker = worker_register(data=body.dict(), viewer=viewer, actor=request.user)
    return 201, {"id": worker.pk, "kpj": worker_kpj(worker_id=worker.pk)}  # the card comes with registration


@router.patch("/{worker_id}", response={200: UpdatedOut, **errors(400, 404, 409)},
              summary="Correct a worker's record (audited, old values kept)")  # fmt: skip
def update(request: HttpRequest, worker_id: Id, body: WorkerPatch) -> dict[str, Any]:
    viewer = api_viewer(request)
    changes = body.dict(exclude_unset=True)
    worker = worker_update(worker_id=worker_id, changes=changes, viewer=viewer, actor=request.user)
    return {"id": worker.pk}
