"""Worker endpoints. A search by NIK is a POST: NIKs never travel in URLs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jaring.core.api import api_viewer
from jaring.registry.selectors import WorkerFilters, worker_get, worker_history, worker_kpj, worker_list
from jaring.registry.services import worker_register, worker_update

router = Router(tags=["workers"])


class SearchIn(Schema):
    q: str = ""
    region_code: str = ""
    occupation: str = ""
    after: int | None = None
    limit: int = 50


class WorkerIn(Schema):
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


class WorkerPatch(Schema):
    full_name: str | None = None
    sex: str | None = None
    birth_place: str | None = None
    birth_date: dt.date | None = None
    mother_name: str | None = None
    address: str | None = None
    village_code: str | None = None
    phone: str | None = None
    occupation: str | None = None
    income_tier: int | None = None
    poverty_decile: int | None = None


@router.post("/search", summary="Search workers by name or NIK (keyset pages, no total count)")
def search(request: HttpRequest, body: SearchIn) -> dict[str, Any]:
    viewer = api_viewer(request)
    page = worker_list(
        viewer=viewer,
        filters=WorkerFilters(q=body.q, region_code=body.region_code, occupation=body.occupation),
        after=body.after,
        limit=max(1, min(body.limit, 200)),
    )
    return {"rows": [dataclasses.asdict(r) for r in page.rows], "next_after": page.next_after}


@router.get("/{worker_id}", summary="One worker with the history of every change")
def detail(request: HttpRequest, worker_id: int) -> dict[str, Any]:
    viewer = api_viewer(request)
    d = worker_get(viewer=viewer, worker_id=worker_id)
    out = dataclasses.asdict(d)
    out["memberships"] = [
        {"kpj": m.kpj, "status": m.status, "registered_at": m.registered_at} for m in d.memberships
    ]
    out["history"] = [dataclasses.asdict(h) for h in worker_history(viewer=viewer, worker_id=worker_id)]
    return out


@router.post("/", response={201: dict}, summary="Register one worker (same rules as a list row)")
def register(request: HttpRequest, body: WorkerIn) -> tuple[int, dict[str, Any]]:
    viewer = api_viewer(request)
    worker = worker_register(data=body.dict(), viewer=viewer, actor=request.user)
    return 201, {"id": worker.pk, "kpj": worker_kpj(worker_id=worker.pk)}  # the card comes with registration


@router.patch("/{worker_id}", summary="Correct a worker's record (audited, old values kept)")
def update(request: HttpRequest, worker_id: int, body: WorkerPatch) -> dict[str, Any]:
    viewer = api_viewer(request)
    changes = body.dict(exclude_unset=True)
    worker = worker_update(worker_id=worker_id, changes=changes, viewer=viewer, actor=request.user)
    return {"id": worker.pk}
