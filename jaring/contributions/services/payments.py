"""Payments by hand or from a bank's notification, matched by virtual account; unmatched money waits in the
reconciliation queue with its reason."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from jaring.contributions import rules
from jaring.contributions.models import (
    Bill,
    BillStatus,
    Payer,
    Payment,
    PaymentSource,
    PaymentStatus,
)
from jaring.contributions.selectors import bank_resolve, payment_scope_q
from jaring.contributions.services.billing import _lapse
from jaring.contributions.services.common import _month_of
from jaring.contributions.services.reactivation import _reactivate_paying_workers
from jaring.contributions.services.settlement import _settle_round, _temp_settle_table
from jaring.core.audit import AuditAction, Entity
from jaring.core.config import setting_int
from jaring.core.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.core.types import rupiah_checked, text_checked


def _apply_payments(payments: list[tuple[int, int, int, dt.datetime]], *, actor: Actor) -> int:
    """Credit each payer with its payments and settle, in rounds so that a payer's earlier payment pays its
    months before a later one does (the paid date a claim asks about is the date the money arrived).
    `payments`: (payment id, payer id, amount, paid_at). Returns lines paid."""
    by_payer: dict[int, list[tuple[int, int, dt.datetime]]] = {}
    for payment_id, payer_id, amount, paid_at in sorted(payments, key=lambda p: (p[3], p[0])):
        by_payer.setdefault(payer_id, []).append((payment_id, amount, paid_at))
    paid = 0
    round_no = 0
    while True:
        batch = [(payer, items[round_no]) for payer, items in by_payer.items() if len(items) > round_no]
        if not batch:
            break
        _temp_settle_table([(payer, pid, at) for payer, (pid, _, at) in batch],
                           [amount for _, (_, amount, _) in batch])  # fmt: skip
        zone = timezone.get_current_timezone()
        months = sorted({_month_of(at, zone) for _, (_, _, at) in batch})
        for as_of in months:
            _lapse(as_of=as_of, payer_ids_sql="SELECT payer_id FROM jaring_settle WHERE as_of = %s",
                   params=[str(as_of)])  # fmt: skip
        paid += _settle_round()
        paid += _reactivate_paying_workers([(payer, at) for payer, (_, _, at) in batch], actor=actor)
        round_no += 1
    return paid


# ------------------------------------------------------------------------------------- payments


def _payer_by_va(va: str) -> Payer | None:
    return Payer.objects.filter(va_number=va).first()


def payment_scope(viewer: Viewer) -> str:
    """The scope a payment recorded by this viewer waits in ("" = national)."""
    return "" if viewer.all_regions else ",".join(viewer.region_codes)[:200]


def payer_in_scope(viewer: Viewer, payer: Payer) -> bool:
    """May this viewer put money on this payer's account: the payer belongs to the viewer's regions."""
    return viewer.all_regions or Payer.objects.filter(viewer.region_q(), pk=payer.pk).exists()


def _outside(va: str) -> ValidationFailed:
    return ValidationFailed(f"Virtual account {va} bukan milik pembayar di wilayah Anda; pembayaran ini dicatat oleh "
                            "kantor wilayahnya.", code=ErrorCode.VA_OUTSIDE_SCOPE, field="va_number")  # fmt: skip


def _unmatched_reason(va_raw: str) -> tuple[str, str, Payer | None]:
    va = rules.va_clean(va_raw)
    if not va:
        return "VA_MISSING", "Nomor virtual account kosong.", None
    if not rules.va_valid(va):
        return (
            "VA_INVALID",
            f"Nomor virtual account '{va_raw}' salah (16 angka dengan angka pemeriksa).",
            None,
        )
    payer = _payer_by_va(va)
    if payer is None:
        return "VA_UNKNOWN", f"Virtual account {va} tidak dimiliki pembayar mana pun.", None
    return "", "", payer


def payment_record(
    *,
    va_number: str,
    amount: int,
    paid_at: dt.datetime,
    reference: str,
    bank: str,
    viewer: Viewer,
    actor: Actor,
    source: PaymentSource = PaymentSource.MANUAL,
    recorded_at: dt.datetime | None = None,
) -> tuple[Payment, bool]:
    """Record one payment (a clerk at the desk, or a bank's notification) and settle it at once. The same
    bank reference twice is recorded once: returns (payment, created).

    The money counts (its months paid, cover for a claim) from when Jaring learned of it, `recorded_at` (now;
    the demo and tests pass the day they simulate), or for a bank's signed notification from the bank's signed
    settlement time: never from a date someone typed (docs/decisions/0013). A clerk's value date is bounded: not
    in the future, not before the payer's oldest open bill, at most JARING PAYMENT_BACKDATE_DAYS back; it is kept,
    audited and shown beside the time that counts."""
    if source == PaymentSource.MANUAL:
        viewer.require(Permission.HANDLE_PAYMENTS)
    if not (reference or "").strip():
        raise ValidationFailed(
            "Nomor referensi pembayaran wajib diisi.", code=ErrorCode.REFERENCE_MISSING, field="reference"
        )
    if not (bank or "").strip():
        raise ValidationFailed("Nama bank wajib diisi.", code=ErrorCode.BANK_MISSING, field="bank")
    reference = text_checked(reference, field="reference", max_length=64)
    bank = bank_resolve(
        text_checked(bank, field="bank", max_length=100)
    ).code  # a reference counts once per bank
    amount = rupiah_checked(amount, field="amount", maximum=setting_int("MONEY_MAX"))
    if timezone.is_naive(paid_at):
        paid_at = timezone.make_aware(paid_at)
    recorded = recorded_at or timezone.now()
    if paid_at > recorded + dt.timedelta(minutes=5):
        raise ValidationFailed(
            "Tanggal bayar ada di masa depan.", code=ErrorCode.PAID_AT_FUTURE, field="paid_at"
        )
    existing = Payment.objects.filter(bank=bank, reference=reference).first()
    if existing is not None:
        return existing, False
    code, reason, payer = _unmatched_reason(va_number)
    if source == PaymentSource.MANUAL:
        if payer is not None and not payer_in_scope(viewer, payer):
            raise _outside(rules.va_clean(va_number))  # another branch's account: its own clerks record it
        _value_date_check(paid_at=paid_at, recorded=recorded, payer=payer)
    counted = min(paid_at, recorded) if source == PaymentSource.NOTIFICATION else recorded
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                source=source, bank=bank, reference=reference, va_number=va_number.strip()[:32], amount=amount,
                paid_at=paid_at, counted_at=counted, payer=payer,
                status=PaymentStatus.MATCHED if payer else PaymentStatus.UNMATCHED, reason_code=code, reason=reason,
                created_by=actor_user(actor), scope=payment_scope(viewer),
            )  # fmt: skip
            lines = _apply_payments([(payment.pk, payer.pk, amount, counted)], actor=actor) if payer else 0
            audit_record(
                actor=actor, action=AuditAction.PAYMENT_RECORD, entity_type=Entity.PAYMENT, entity_id=payment.pk,
                changes={"source": source, "bank": bank, "reference": reference, "amount": amount,
                         "paid_at": paid_at.isoformat(), "counted_at": counted.isoformat(),
                         "status": payment.status, "reason_code": code, "lines_paid": lines},
            )  # fmt: skip
    except IntegrityError:  # the same reference arrived concurrently
        found = Payment.objects.filter(bank=bank, reference=reference).first()
        if found is None:
            raise
        return found, False
    return payment, True


def _value_date_check(*, paid_at: dt.datetime, recorded: dt.datetime, payer: Payer | None) -> None:
    """A value date typed by a clerk: at most PAYMENT_BACKDATE_DAYS before it is recorded, and not before the
    oldest bill the payment would pay (a payment cannot precede what it pays)."""
    days = setting_int("PAYMENT_BACKDATE_DAYS")
    if paid_at < recorded - dt.timedelta(days=days):
        raise ValidationFailed(
            f"Tanggal bayar lebih dari {days} hari yang lalu. Pembayaran lama dicatat lewat rekening koran bank.",
            code=ErrorCode.PAID_AT_TOO_OLD, field="paid_at",
        )  # fmt: skip
    if payer is None:
        return
    oldest = (
        Bill.objects.filter(payer=payer, status__in=[BillStatus.ISSUED, BillStatus.PARTIAL]).order_by("issued_at")
        .values_list("issued_at", flat=True).first()
    )  # fmt: skip
    if oldest is not None and timezone.localdate(paid_at) < timezone.localdate(oldest):
        raise ValidationFailed(
            f"Tanggal bayar sebelum tagihan terbit ({timezone.localtime(oldest):%d-%m-%Y}).",
            code=ErrorCode.PAID_AT_BEFORE_BILL, field="paid_at",
        )  # fmt: skip


def payment_resolve(
    *, payment_id: int, va_number: str = "", returned: bool = False, note: str, viewer: Viewer, actor: Actor
) -> Payment:
    """Settle a payment from the reconciliation queue: give it to the payer of a virtual account, or record
    that the money went back to the sender. The reason is kept."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    note = note.strip()
    with transaction.atomic():
        # Only a payment of the viewer's own queue (the same rule as the queue page: contributions.selectors),
        # looked up first: a payment outside it is not there, whatever else the request lacks.
        payment = Payment.objects.select_for_update().filter(payment_scope_q(viewer), pk=payment_id).first()
        if payment is None:
            raise NotFound("Pembayaran tidak ditemukan.", code=ErrorCode.PAYMENT_NOT_FOUND)
        if not note:
            raise ValidationFailed("Tulis alasan penyelesaian.", code=ErrorCode.NOTE_MISSING, field="note")
        if payment.status != PaymentStatus.UNMATCHED:
            raise Conflict("Pembayaran ini sudah diselesaikan.", code=ErrorCode.PAYMENT_SETTLED)
        lines = 0
        if returned:
            payment.status = PaymentStatus.RETURNED
        else:
            code, reason, payer = _unmatched_reason(va_number)
            if payer is None:
                raise ValidationFailed(reason, code=code, field="va_number")
            if not payer_in_scope(viewer, payer):
                raise _outside(rules.va_clean(va_number))  # a branch settles money only to its own payers
            payment.payer, payment.status = payer, PaymentStatus.MATCHED
        payment.settled_by, payment.settled_note = actor_user(actor), note[:255]
        # Whose money it is, Jaring learns now: the months it pays count from now, not from its arrival.
        counted = timezone.now()
        if payment.payer_id:
            payment.counted_at = counted
        payment.save(update_fields=["payer", "status", "settled_by", "settled_note", "counted_at"])
        if payment.payer_id:
            lines = _apply_payments([(payment.pk, payment.payer_id, payment.amount, counted)], actor=actor)
        audit_record(
            actor=actor, action=AuditAction.PAYMENT_RESOLVE, entity_type=Entity.PAYMENT, entity_id=payment.pk,
            changes={"status": payment.status, "payer_id": payment.payer_id, "note": note, "lines_paid": lines},
        )  # fmt: skip
    return payment


def notification_refused(*, bank: str, source: str, code: str, message: str) -> None:
    """A bank notification that was refused (unknown bank, bad signature, a body that fails its checks) leaves an
    audit event with the bank it claimed, the address it came from and the reason: forged or replayed calls are
    visible afterwards."""
    audit_record(actor=None, action=AuditAction.NOTIFICATION_REFUSE, entity_type=Entity.BANK_NOTIFICATION,
                 entity_id=bank[:32] or "-", changes={"bank": bank[:32], "source": source[:64], "code": code,
                                                      "message": message[:300]})  # fmt: skip
