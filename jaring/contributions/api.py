"""Ledger endpoints: bills, payments, a bank's payment notification (signed, no session) and a worker's
coverage months."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from jaring.contributions.models import Bank, PaymentSource
from jaring.contributions.rules import bank_code
from jaring.contributions.selectors import bill_get, bill_lines, bill_list, coverage_get
from jaring.contributions.services import notification_refused, payment_record
from jaring.contributions.tasks import enqueue_billing
from jaring.core.api import api_viewer
from jaring.core.errors import ErrorCode, JaringError, ValidationFailed
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period

router = Router(tags=["contributions"])


class RunIn(Schema):
    period: str


# Money travels as a JSON integer: a float (1e30, 16800.0) is refused as the wrong type, never rounded.
StrictRupiah = Annotated[int, Field(strict=True)]


class PaymentIn(Schema):
    va_number: str
    amount: StrictRupiah
    paid_at: dt.datetime
    reference: str
    bank: str


class NotifyIn(Schema):
    reference: str
    va_number: str
    amount: StrictRupiah
    paid_at: dt.datetime


def _payment_out(payment: Any, created: bool) -> dict[str, Any]:
    return {"id": payment.pk, "created": created, "status": payment.status, "reason_code": payment.reason_code,
            "reason": payment.reason, "payer_id": payment.payer_id, "amount": payment.amount}  # fmt: skip


@router.get("/bills", summary="Bills the viewer may see, newest first (keyset pages)")
def bills(
    request: HttpRequest, period: str = "", status: str = "", after: int | None = None
) -> dict[str, Any]:
    page = bill_list(viewer=api_viewer(request), period=period, status=status, after=after)
    return {"items": [dataclasses.asdict(r) for r in page.rows], "next_after": page.next_after}


@router.get("/bills/{bill_id}", summary="One bill with a page of its lines")
def bill(request: HttpRequest, bill_id: int, after: int | None = None) -> dict[str, Any]:
    viewer = api_viewer(request)
    found = bill_get(viewer=viewer, bill_id=bill_id)
    lines = bill_lines(viewer=viewer, bill_id=bill_id, after=after, limit=200)
    return {"bill": dataclasses.asdict(found), "lines": [dataclasses.asdict(line) for line in lines]}


@router.post("/billing-runs", response={202: dict[str, Any]}, summary="Bill a month (runs in the background)")
def billing_runs(request: HttpRequest, body: RunIn) -> tuple[int, dict[str, Any]]:
    period = Period.parse(body.period)
    enqueue_billing(period=period, viewer=api_viewer(request))
    return 202, {"queued": True, "period": str(period)}


@router.post("/payments", response={200: dict[str, Any], 201: dict[str, Any]}, summary="Record a payment")
def payments(request: HttpRequest, body: PaymentIn) -> tuple[int, dict[str, Any]]:
    payment, created = payment_record(
        va_number=body.va_number, amount=body.amount, paid_at=body.paid_at, reference=body.reference,
        bank=body.bank, viewer=api_viewer(request), actor=request.user,
    )  # fmt: skip
    return (201 if created else 200), _payment_out(payment, created)


@router.post(
    "/payments/notify",
    auth=None,
    response={200: dict[str, Any], 201: dict[str, Any], 401: dict[str, Any]},
    summary="A bank's payment notification, signed: X-Jaring-Bank and X-Jaring-Signature (HMAC-SHA256 hex)",
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
            body = NotifyIn.model_validate(json.loads(request.body))
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


@router.get("/workers/{worker_id}/coverage", summary="A worker's coverage months and membership standing")
def coverage(request: HttpRequest, worker_id: int, months: int = 12) -> dict[str, Any]:
    if not 1 <= months <= 60:
        raise ValidationFailed("months harus 1-60.", code=ErrorCode.MONTHS_INVALID, field="months")
    found = coverage_get(viewer=api_viewer(request), worker_id=worker_id, as_of=Period.of(timezone.localdate()),
                         months=months)  # fmt: skip
    return dataclasses.asdict(found)
