"""Ledger endpoints: bills, payments, a bank's payment notification (signed, no session) and a worker's
coverage months."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from jaring.contributions import exports
from jaring.contributions.models import Bank, PaymentSource
from jaring.contributions.rules import bank_code
from jaring.contributions.selectors import (
    BillRow,
    Coverage,
    LineRow,
    bill_get,
    bill_lines,
    bill_list,
    cards,
    coverage_get,
)
from jaring.contributions.services import notification_refused, payment_record
from jaring.contributions.tasks import enqueue_billing
from jaring.core.api import ErrorOut, Id, StrictIn, Whole, api_viewer, errors, json_loads
from jaring.core.errors import ErrorCode, JaringError, ValidationFailed
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.core.views_util import download

router = Router(tags=["contributions"])


class RunIn(StrictIn):
    period: str = Field(max_length=32, examples=["2026-11"])


# Money is a JSON integer (16800 or 16800.0, read as Decimal, never float); 16800.5, "16800" and 1e30 are refused.
StrictRupiah = Whole


class PaymentIn(StrictIn):
    va_number: str
    amount: StrictRupiah
    paid_at: dt.datetime
    reference: str
    bank: str


class NotifyIn(StrictIn):
    reference: str
    va_number: str
    amount: StrictRupiah
    paid_at: dt.datetime


class PaymentOut(Schema):
    """A payment as recorded: matched to a payer, or waiting in the reconciliation queue with its reason."""

    id: int
    created: bool  # false: the same bank reference was recorded before (nothing counted twice)
    status: str
    reason_code: str
    reason: str
    payer_id: int | None
    amount: int


class BillsOut(Schema):
    items: list[BillRow]
    next_after: int | None


class BillOut(Schema):
    bill: BillRow
    lines: list[LineRow]


class QueuedOut(Schema):
    queued: bool
    period: str


def _payment_out(payment: Any, created: bool) -> dict[str, Any]:
    return {"id": payment.pk, "created": created, "status": payment.status, "reason_code": payment.reason_code,
            "reason": payment.reason, "payer_id": payment.payer_id, "amount": payment.amount}  # fmt: skip


@router.get("/bills", response={200: BillsOut, **errors(400)},
            summary="Bills the viewer may see, newest first (keyset pages)")  # fmt: skip
def bills(
    request: HttpRequest, period: Annotated[str, Field(max_length=32)] = "",
    status: Annotated[str, Field(max_length=16)] = "", after: Id | None = None,
) -> dict[str, Any]:  # fmt: skip
    page = bill_list(viewer=api_viewer(request), period=period, status=status, after=after)
    return {"items": [dataclasses.asdict(r) for r in page.rows], "next_after": page.next_after}


@router.get(
    "/bills/{bill_id}", response={200: BillOut, **errors(404)}, summary="One bill with a page of its lines"
)
def bill(request: HttpRequest, bill_id: Id, after: Id | None = None) -> dict[str, Any]:
    viewer = api_viewer(request)
    found = bill_get(viewer=viewer, bill_id=bill_id)
    lines = bill_lines(viewer=viewer, bill_id=bill_id, after=after, limit=200)
    return {"bill": dataclasses.asdict(found), "lines": [dataclasses.asdict(line) for line in lines]}


@router.post("/billing-runs", response={202: QueuedOut, **errors(400)},
             summary="Bill a month (runs in the background)")  # fmt: skip
def billing_runs(request: HttpRequest, body: RunIn) -> tuple[int, dict[str, Any]]:
    period = Period.parse(body.period)
    enqueue_billing(period=period, viewer=api_viewer(request))
    return 202, {"queued": True, "period": str(period)}


@router.post("/payments", response={200: PaymentOut, 201: PaymentOut, **errors(400, 404, 409)},
             summary="Record a payment (200: this bank reference was recorded before)")  # fmt: skip
def payments(request: HttpRequest, body: PaymentIn) -> tuple[int, dict[str, Any]]:
    payment, created = payment_record(
        va_number=body.va_number, amount=body.amount, paid_at=body.paid_at, reference=body.reference,
        bank=body.bank, viewer=api_viewer(request), actor=request.user,
    )  # fmt: skip
    return (201 if created else 200), _payment_out(payment, created)


@router.post(
    "/payments/notify",
    auth=None,
    response={
        200: PaymentOut,
        201: PaymentOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },  # fmt: skip
    summary="A bank's payment notification, signed: X-Jaring-Bank and X-Jaring-Signature (HMAC-SHA256 hex)",
    # The body is read raw (the signature covers its bytes) and checked after the signature: documented here.
    openapi_extra={
        "parameters": [
            {"in": "header", "name": "X-Jaring-Bank", "required": True, "schema": {"type": "string"}},
            {"in": "header", "name": "X-Jaring-Signature", "required": True, "schema": {"type": "string"}},
        ],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": NotifyIn.model_json_schema()}},
        },
    },
)
def notify(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    claimed = request.headers.get("X-Jaring-Bank", "")[:100]
    known = Bank.objects.filter(active=True, code=bank_code(claimed)).first()
    bank = known.code if known else claimed
    secret = (settings.JARING["BANK_NOTIFY_SECRETS"].get(bank) or known.notify_secret) if known else None
    given = request.headers.get("X-Jaring-Signature", "")
    expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest() if secret else ""
    source = str(request.META.get("REMOTE_ADDR", ""))
    if not secret or not hmac.compare_digest(given, expected):
        message = "Bank atau tanda tangan tidak dikenal."
        notification_refused(bank=bank, source=source, code=ErrorCode.SIGNATURE_INVALID, message=message)
        return 401, {"error": {"code": ErrorCode.SIGNATURE_INVALID, "message": message}}
    try:
        try:
            body = NotifyIn.model_validate(json_loads(request.body))
        except ValueError as exc:
            raise ValidationFailed(
                f"Isi notifikasi tidak sah: {exc}", code=ErrorCode.REQUEST_INVALID
            ) from None
        paid_at = body.paid_at if timezone.is_aware(body.paid_at) else timezone.make_aware(body.paid_at)
        payment, created = payment_record(
            va_number=body.va_number, amount=body.amount, paid_at=paid_at, reference=body.reference, bank=bank,
            viewer=SYSTEM, actor=None, source=PaymentSource.NOTIFICATION,
        )  # fmt: skip
    except JaringError as exc:  # recorded, then answered by the API's one error handler
        notification_refused(bank=bank, source=source, code=exc.code, message=exc.message)
        raise
    return (201 if created else 200), _payment_out(payment, created)


@router.get("/workers/{worker_id}/coverage", response={200: Coverage, **errors(400, 404)},
            summary="A worker's coverage months and membership standing")  # fmt: skip
def coverage(
    request: HttpRequest, worker_id: Id, months: Annotated[int, Field(ge=-(10**6), le=10**6)] = 12
) -> dict[str, Any]:
    if not 1 <= months <= 60:
        raise ValidationFailed("months harus 1-60.", code=ErrorCode.MONTHS_INVALID, field="months")
    found = coverage_get(viewer=api_viewer(request), worker_id=worker_id, as_of=Period.of(timezone.localdate()),
                         months=months)  # fmt: skip
    return dataclasses.asdict(found)


@router.get(
    "/workers/{worker_id}/card",
    response=errors(404),
    summary="The worker's membership card (kartu peserta) as a PDF, with the QR code of the public check",
    openapi_extra={"responses": {200: {"description": "The card, card size (85.6 x 54 mm)",
                                       "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}},
)  # fmt: skip
def card(request: HttpRequest, worker_id: Id) -> HttpResponse:
    found = cards(viewer=api_viewer(request), worker_id=worker_id, today=timezone.localdate())
    data = exports.cards_pdf(
        found, lambda c: request.build_absolute_uri(reverse("card_check", args=[c.token]))
    )
    return download(data, f"kartu-{found[0].kpj}.pdf", "application/pdf")
