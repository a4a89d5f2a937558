"""Suggestions for the reconciliation queue (issue #14): for a transfer that matched no payer, the payers it was
most likely meant for, by a virtual account one slip away from the one received, and by an amount equal to what
a payer owes. Suggestions only: a clerk books the money, with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Sum

from jaring.contributions import rules
from jaring.contributions.models import BillLine, LineStatus, Payer
from jaring.contributions.selectors.ledger import PaymentRow, payer_q
from jaring.core.selectors import Viewer

AMOUNT_ONLY_MAX = 3  # an amount that many payers or fewer owe exactly is worth suggesting on its own
SUGGESTIONS_MAX = 3


@dataclass(frozen=True)
class Suggestion:
    payer_id: int
    va_number: str
    name: str
    owed: int  # what the payer owes on open bill lines
    reasons: list[str] = field(default_factory=list)  # in words: "VA: satu angka berbeda", "jumlah sama"
    score: int = 0  # 3: account and amount agree; 2: an account one slip away; 1: the amount alone


def reconciliation_suggestions(*, viewer: Viewer, payments: list[PaymentRow]) -> dict[int, list[Suggestion]]:
    """Up to three likely payers per unmatched payment, best first, within the payers the viewer may see.
    Three queries for the whole queue: payers by near-miss account, what they owe, payers owing an amount."""
    scope = payer_q(viewer)
    slips = {p.id: rules.va_near_misses(p.va_number) for p in payments}
    wanted = {va for found in slips.values() for va in found}
    by_va = {p.va_number: p for p in Payer.objects.filter(scope, va_number__in=wanted)} if wanted else {}
    amounts = {p.amount for p in payments}
    owing = (
        BillLine.objects.filter(status=LineStatus.OPEN, payer__in=Payer.objects.filter(scope))
        .values("payer_id")
        .annotate(total=Sum("amount"))
        .filter(total__in=amounts)
    )
    by_amount: dict[int, list[int]] = {}
    for row in owing[: 50 * len(amounts) + 50]:
        by_amount.setdefault(row["total"], []).append(row["payer_id"])
    only_amount = {a: ids for a, ids in by_amount.items() if len(ids) <= AMOUNT_ONLY_MAX}
    extra_ids = {i for ids in only_amount.values() for i in ids} - {p.pk for p in by_va.values()}
    payers = {p.pk: p for p in by_va.values()}
    payers.update({p.pk: p for p in Payer.objects.filter(pk__in=extra_ids)} if extra_ids else {})
    owed = dict(
        BillLine.objects.filter(status=LineStatus.OPEN, payer_id__in=list(payers))
        .values("payer_id")
        .annotate(total=Sum("amount"))
        .values_list("payer_id", "total")
    ) if payers else {}  # fmt: skip
    out: dict[int, list[Suggestion]] = {}
    for payment in payments:
        found: dict[int, Suggestion] = {}
        for va, slip in slips[payment.id].items():
            payer = by_va.get(va)
            if payer is None:
                continue
            debt = int(owed.get(payer.pk) or 0)
            reasons = [f"VA: {rules.VA_SLIP_LABELS[slip][0]}"]
            if debt == payment.amount:
                reasons.append("jumlah sama dengan tagihan terbuka")
            found[payer.pk] = Suggestion(
                payer.pk, payer.va_number, payer.name, debt, reasons, 1 + len(reasons)
            )
        for payer_id in only_amount.get(payment.amount, []):
            if payer_id not in found and payer_id in payers:
                payer = payers[payer_id]
                found[payer_id] = Suggestion(payer_id, payer.va_number, payer.name, payment.amount,
                                             ["jumlah sama dengan tagihan terbuka"], 1)  # fmt: skip
        ranked = sorted(found.values(), key=lambda s: (-s.score, s.va_number))
        out[payment.id] = ranked[:SUGGESTIONS_MAX]
    return out
