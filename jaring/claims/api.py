"""Claim endpoints: assess (records nothing), file, the queue, one claim, the next step and rejection."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from jaring.claims.models import Claim
from jaring.claims.rules import Aid, ClaimType, Injury, Mode
from jaring.claims.selectors import claim_assess, claim_get, claim_list, disability_table
from jaring.claims.services import claim_advance, claim_file, claim_reject
from jaring.core.api import api_viewer
from jaring.core.errors import ErrorCode, ValidationFailed

router = Router(tags=["claims"])


class PartIn(Schema):
    code: str
    function_lost: Decimal = Decimal(100)  # % of the part's function lost; 100 = lost entirely
    value: Decimal | None = None  # a range row: the doctor's percentage; a per-step row: the loss measured


class EventIn(Schema):
    nik: str
    claim_type: str
    event_date: dt.date
    reported_at: dt.datetime | None = None
    days: int | None = None
    percent: Decimal | None = None
    mode: str = ""
    amount: int | None = None
    parts: list[PartIn] = []  # body parts from the disability table (jkk_partial_disability)
    left_handed: bool = False
    aid: str = ""  # jkk_aids: glasses, hearing, other, prosthesis
    diagnosis_date: dt.date | None = None  # an occupational disease: the JKK right runs from it
    occupational_disease: bool = False


class StepIn(Schema):
    beneficiary_name: str = ""
    bank: str = ""
    account_number: str = ""
    payment_reference: str = ""


class RejectIn(Schema):
    code: str
    reason: str


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


@router.get("/disability-table", summary="The disability table in force on a day (default today)")
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


@router.post("/assess", summary="Eligibility and benefit breakdown of one event, recording nothing")
def assess(request: HttpRequest, body: EventIn) -> dict[str, Any]:
    claim_type, mode = _parse(body)
    result = claim_assess(nik=body.nik, claim=claim_type, event=body.event_date, viewer=api_viewer(request),
                          reported=body.reported_at, days=body.days, percent=body.percent, mode=mode,
                          amount=body.amount, injuries=_injuries(body), left_handed=body.left_handed,
                          **_extra(body))  # fmt: skip
    return dataclasses.asdict(result)


@router.post(
    "/", response={201: dict[str, Any]}, summary="File a claim (a refused one is recorded as rejected)"
)
def file(request: HttpRequest, body: EventIn) -> tuple[int, dict[str, Any]]:
    claim_type, mode = _parse(body)
    claim = claim_file(nik=body.nik, claim_type=claim_type, event=body.event_date, reported_at=body.reported_at,
                       days=body.days, percent=body.percent, mode=mode, amount=body.amount,
                       injuries=_injuries(body), left_handed=body.left_handed, viewer=api_viewer(request),
                       actor=request.user, **_extra(body))  # fmt: skip
    return 201, _claim_out(claim)


@router.get("/", summary="Claims of the viewer's region, newest first")
def claims(request: HttpRequest, status: str = "") -> dict[str, Any]:
    return {"items": [dataclasses.asdict(c) for c in claim_list(viewer=api_viewer(request), status=status)]}


@router.get("/{claim_id}", summary="One claim with its breakdown")
def claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    return _claim_out(claim_get(viewer=api_viewer(request), claim_id=claim_id))


@router.post("/{claim_id}/steps", summary="The next step: documents complete, verified, approved, paid")
def step(request: HttpRequest, claim_id: int, body: StepIn) -> dict[str, Any]:
    done = claim_advance(claim_id=claim_id, viewer=api_viewer(request), actor=request.user, **body.dict())
    return _claim_out(done)


@router.post("/{claim_id}/reject", summary="Reject with a code and a reason")
def reject(request: HttpRequest, claim_id: int, body: RejectIn) -> dict[str, Any]:
    done = claim_reject(claim_id=claim_id, code=body.code, reason=body.reason, viewer=api_viewer(request),
                        actor=request.user)  # fmt: skip
    return _claim_out(done)
