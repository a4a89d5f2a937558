"""A member whose membership ended is re-activated by a new payment or by a clerk; the unpaid gap stays
uncovered (domain rules section 2)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from jaring.contributions.models import (
    BillingRun,
)
from jaring.contributions.services.billing import BillingResult, _bill
from jaring.contributions.services.common import BILL, MEMBERSHIP, PAYER
from jaring.contributions.services.settlement import _settle_from_credit, _settle_round, _temp_settle_table
from jaring.core.audit import AuditAction, Entity
from jaring.core.errors import Conflict, ErrorCode, NotFound
from jaring.core.rules import Permission
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.core.types import Period
from jaring.registry.models import Membership, Worker
from jaring.registry.services import membership_reactivate as registry_membership_reactivate


def _reactivate_paying_workers(batch: list[tuple[int, dt.datetime]], *, actor: Actor) -> int:
    """A self-paying worker whose membership ended and who pays again is re-activated from the month of the
    payment; the unpaid gap stays uncovered (domain rules section 2, decision)."""
    at_by_payer = dict(batch)
    with connection.cursor() as cursor:  # the payers of this round are in jaring_settle (see _apply_payments)
        cursor.execute(
            f"SELECT p.id, p.worker_id FROM {PAYER} p JOIN jaring_settle s ON s.payer_id = p.id "
            f"WHERE p.kind = 'worker' AND p.credit > 0 AND NOT EXISTS (SELECT 1 FROM {MEMBERSHIP} m "
            f"WHERE m.worker_id = p.worker_id AND m.status = 'active') ORDER BY p.id"
        )
        rows = cursor.fetchall()
    paid = 0
    for payer_id, worker_id in rows:
        membership = registry_membership_reactivate(worker_id=worker_id)
        if membership is None:
            continue
        at = at_by_payer[payer_id]
        period = Period.of(timezone.localtime(at).date())
        run = BillingRun.objects.create(
            period=str(period), started_at=timezone.now(), actor=actor_user(actor)
        )
        bills, lines, amount = _bill(
            period=period, run=run, issued_at=at, worker_ids_sql="%s", params=[worker_id]
        )
        BillingRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), bills=bills, lines=lines, amount_total=amount
        )
        _temp_settle_table([(payer_id, None, at)])
        paid += _settle_round()
        audit_record(
            actor=actor, action=AuditAction.MEMBERSHIP_REACTIVATE, entity_type=Entity.WORKER, entity_id=worker_id,
            changes={"period": str(period), "kpj": membership.kpj},
        )  # fmt: skip
    return paid


# ------------------------------------------------------------------------------------- re-activation


def membership_reactivate(*, worker_id: int, period: Period, viewer: Viewer, actor: Actor) -> BillingResult:
    """A clerk re-activates an ended membership (a sponsor or agent takes the worker back): the worker is
    billed again from `period`; the unpaid gap stays uncovered."""
    viewer.require(Permission.HANDLE_PAYMENTS)
    with transaction.atomic():
        latest = Membership.objects.filter(worker_id=worker_id).order_by("-id").first()
        if latest is None or not Worker.objects.filter(viewer.region_q(), pk=worker_id).exists():
            raise NotFound(
                "Pekerja atau kepesertaannya tidak ditemukan.", code=ErrorCode.MEMBERSHIP_NOT_FOUND
            )
        membership = registry_membership_reactivate(worker_id=worker_id)
        if membership is None:
            raise Conflict("Kepesertaan ini masih aktif.", code=ErrorCode.MEMBERSHIP_ACTIVE)
        run = BillingRun.objects.create(
            period=str(period), started_at=timezone.now(), actor=actor_user(actor)
        )
        bills, lines, amount = _bill(
            period=period, run=run, issued_at=timezone.now(), worker_ids_sql="%s", params=[worker_id]
        )
        BillingRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), bills=bills, lines=lines, amount_total=amount
        )
        settled = _settle_from_credit(
            payer_ids_sql=f"SELECT payer_id FROM {BILL} WHERE run_id = %s",
            params=[run.pk],
            paid_at=timezone.now(),
        )
        audit_record(
            actor=actor, action=AuditAction.MEMBERSHIP_REACTIVATE, entity_type=Entity.WORKER, entity_id=worker_id,
            changes={"period": str(period), "kpj": membership.kpj, "bills": bills},
        )  # fmt: skip
    return BillingResult(run, bills, lines, amount, settled)
