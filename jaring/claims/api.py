"""Claim endpoints: assess (records nothing), file, the queue, one claim, the next step and rejection."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import BeforeValidator, Field, Strict, WithJsonSchema

from jaring.claims.models import Claim
from jaring.claims.rules import Aid, BodyPart, ClaimType, Injury, Line, Mode
from jaring.claims.selectors import (
    Assessment,
    ClaimRow,
    claim_assess,
    claim_get,
    claim_list,
    disability_table,
)
from jaring.claims.services import claim_advance, claim_file, claim_reject
from jaring.core.api import Id, StrictIn, api_viewer, errors, whole_number
from jaring.core.errors import ErrorCode, ValidationFailed

router = Router(tags=["claims"])


# Numbers a person types: bounded so that no database column overflows; the rules say what is valid.
def _a_number(value: object) -> object:
    """A JSON number, as the document says: "12.5" in quotes is the wrong type, not a percentage."""
    if isinstance(value, str | bool):
        raise ValueError("a number is expected")
    return value


Percent = Annotated[Decimal, BeforeValidator(_a_number), Field(ge=-1000, le=1000),
                    WithJsonSchema({"type": "number", "minimum": -1000, "maximum": 1000})]  # fmt: skip
Count = Annotated[int, Field(ge=-(10**6), le=10**6)]
Amount = Annotated[int, Field(ge=-(10**15), le=10**15), BeforeValidator(whole_number), Strict()]


class PartIn(StrictIn):
    code: str = Field(max_length=32)
    function_lost: Percent = Decimal(100)  # % of the part's function lost; 100 = lost entirely
    value: Percent | None = None  # a range row: the doctor's percentage; a per-step row: the loss measured


class EventIn(StrictIn):
    nik: str = Field(max_length=32)
    claim_type: str = Field(max_length=32)
    event_date: dt.date
    reported_at: dt.datetime | None = None
    days: Count | None = None
    percent: Percent | None = None
    mode: str = Field("", max_length=32)
    amount: Amount | None = None
    parts: list[PartIn] = Field([], max_length=50)  # body parts from the disability table
    left_handed: bool = False
    aid: str = Field("", max_length=32)  # jkk_aids: glasses, hearing, other, prosthesis
    diagnosis_date: dt.date | None = None  # an occupational disease: the JKK right runs from it
    occupational_disease: bool = False


class StepIn(StrictIn):
    beneficiary_name: str = Field("", max_length=150)
    bank: str = Field("", max_length=100)
    account_number: str = Field("", max_length=34)
    payment_reference: str = Field("", max_length=64)


class RejectIn(StrictIn):
    code: str = Field(max_length=64)
    reason: str = Field(max_length=1000)


class TableOut(Schema):
    items: list[BodyPart]


class ClaimOut(Schema):
    id: int
    number: str
    claim_type: str
    worker_id: int
    event_date: str
    status: str
    reject_code: str
    reject_reason: str
    injuries: list[dict[str, Any]]
    aid: str
    diagnosis_date: str | None
    flags: list[Any]
    lines: list[Line]
    total: int
    documents: list[str]


class ClaimsOut(Schema):
    items: list[ClaimRow]


def _parse(body: EventIn) -> tuple[ClaimType, Mode | None]:
    try:
        claim_type = ClaimType(body.claim_type)
        mode = Mode(body.mode) if body.mode else None
    except ValueError:
        raise ValidationFailed("Jenis klaim atau moda tidak dikenal.", code=ErrorCode.CLAIM_INPUT_INVALID,
                               field="claim_type") from None  # fmt: skip
    return claim_type, mode


def _extra(body: EventIn) -> dict[str, Any]:
    """The inputs of the newer benefits: aid, an occupational disease's diagnosis date."""
    try:
        aid = Aid(body.aid) if body.aid else None
    except ValueError:
        raise ValidationFailed(f"Alat bantu '{body.aid}' tidak dikenal: {', '.join(a.value for a in Aid)}.",
                               code=ErrorCode.AID_UNKNOWN, field="aid") from None  # fmt: skip
    return {"aid": aid, "diagnosis": body.diagnosis_date, "occupational_disease": body.occupational_disease}


def _injuries(body: EventIn) -> list[Injury]:
    return [
        Injury(code=p.code.strip().lower(), function_lost=p.function_lost, value=p.value) for p in body.parts
    ]


@router.get("/disability-table", response={200: TableOut, **errors()},
            summary="The disability table in force on a day (default today)")  # fmt: skip
def disability(request: HttpRequest, on: dt.date | None = None) -> dict[str, Any]:
    api_viewer(request)
    table = disability_table(on=on or timezone.localdate())
    return {"items": [dataclasses.asdict(row) for row in table.values()]}


def _claim_out(claim: Claim) -> dict[str, Any]:
    return {"id": claim.pk, "number": claim.number, "claim_type": claim.claim_type, "worker_id": claim.worker_id,
            "event_date": claim.event_date.isoformat(), "status": claim.status, "reject_code": claim.reject_code,
            "reject_reason": claim.reject_reason, "injuries": claim.injuries, "aid": claim.aid,
            "diagnosis_date": claim.diagnosis_date.isoformat() if claim.diagnosis_date else None, "flags": claim.flags, "lines": claim.lines, "total": claim.total,
            "documents": list(claim.documents.values_list("doc_type", flat=True))}  # fmt: skip


@router.post("/assess", response={200: Assessment, **errors(400, 404)},
             summary="Eligibility and benefit breakdown of one event, recording nothing")  # fmt: skip
def assess(request: HttpRequest, body: EventIn) -> dict[str, Any]:
    claim_type, mode = _parse(body)
    result = claim_assess(nik=body.nik, claim=claim_type, event=body.event_date, viewer=api_viewer(request),
                          reported=body.reported_at, days=body.days, percent=body.percent, mode=mode,
                          amount=body.amount, injuries=_injuries(body), left_handed=body.left_handed,
                          **_extra(body))  # fmt: skip
    return dataclasses.asdict(result)


@router.post("/", response={201: ClaimOut, **errors(400, 404, 409)},
             summary="File a claim (a refused one is recorded as rejected)")  # fmt: skip
def file(request: HttpRequest, body: EventIn) -> tuple[int, dict[str, Any]]:
    claim_type, mode = _parse(body)
    claim = claim_file(nik=body.nik, claim_type=claim_type, event=body.event_date, reported_at=body.reported_at,
                       days=body.days, percent=body.percent, mode=mode, amount=body.amount,
                       injuries=_injuries(body), left_handed=body.left_handed, viewer=api_viewer(request),
                       actor=request.user, **_extra(body))  # fmt: skip
    return 201, _claim_out(claim)


@router.get(
    "/", response={200: ClaimsOut, **errors(400)}, summary="Claims of the viewer's region, newest first"
)
def claims(request: HttpRequest, status: Annotated[str, Field(max_length=16)] = "") -> dict[str, Any]:
    return {"items": [dataclasses.asdict(c) for c in claim_list(viewer=api_viewer(request), status=status)]}


@router.get("/{claim_id}", response={200: ClaimOut, **errors(404)}, summary="One claim with its breakdown")
def claim(request: HttpRequest, claim_id: Id) -> dict[str, Any]:
    return _claim_out(claim_get(viewer=api_viewer(request), claim_id=claim_id))


@router.post("/{claim_id}/steps", response={200: ClaimOut, **errors(400, 404, 409)},
             summary="The next step: documents complete, verified, approved, paid")  # fmt: skip
def step(request: HttpRequest, claim_id: Id, body: StepIn) -> dict[str, Any]:
    done = claim_advance(claim_id=claim_id, viewer=api_viewer(request), actor=request.user, **body.dict())
    return _claim_out(done)


@router.post("/{claim_id}/reject", response={200: ClaimOut, **errors(400, 404, 409)},
             summary="Reject with a code and a reason")  # fmt: skip
def reject(request: HttpRequest, claim_id: Id, body: RejectIn) -> dict[str, Any]:
    done = claim_reject(claim_id=claim_id, code=body.code, reason=body.reason, viewer=api_viewer(request),
                        actor=request.user)  # fmt: skip
    return _claim_out(done)
