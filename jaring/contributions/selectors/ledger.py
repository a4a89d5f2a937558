"""Reads of the ledger: the contribution rules in force and a quote, bills and their lines, payments and the
reconciliation queue, coverage months, arrears, and the counts a home page shows. Scoping happens here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

import polars as pl
from django.db.models import Count, Max, Q, Sum

from jaring.contributions import rules
from jaring.contributions.models import (
    Bank,
    Bill,
    BillLine,
    BillStatus,
    Discount,
    IncomeTier,
    LineStatus,
    Payer,
    PayerAssignment,
    PayerKind,
    PayerTypeSetting,
    Payment,
    PaymentStatus,
    RateRule,
    StatementProfile,
)
from jaring.contributions.rules import (
    GRACE_MONTHS,
    Basis,
    Due,
    MonthState,
    PayerType,
    Program,
    SectorScope,
    Standing,
    last_payable_month,
    membership_standing,
)
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import Role, mask_nik, may_handle_payments
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.regions.selectors import office_of
from jaring.registry.models import Membership, Worker
from jaring.registry.rules import nik_clean
from jaring.registry.selectors import worker_id_by_key


def _period(text: str) -> Period | None:
    return Period.parse(text) if text else None


def rate_rows() -> list[rules.RateRow]:
    return [
        rules.RateRow(
            r.pk,
            Program(r.program),
            Basis(r.basis),
            r.value,
            Period.parse(r.valid_from),
            _period(r.valid_to),
            r.source,
        )
        for r in RateRule.objects.order_by("program", "-valid_from", "-id")
    ]


def tier_rows() -> list[rules.IncomeTierRow]:
    return [
        rules.IncomeTierRow(t.pk, t.lower, t.upper, Period.parse(t.valid_from), _period(t.valid_to), t.source)
        for t in IncomeTier.objects.order_by("-valid_from", "lower")
    ]


def discount_rows() -> list[rules.DiscountRow]:
    return [
        rules.DiscountRow(
            d.pk,
            d.name,
            frozenset(Program(p.strip()) for p in d.programs.split(",") if p.strip()),
            d.percent,
            SectorScope(d.sector),
            Period.parse(d.valid_from),
            _period(d.valid_to),
            d.source,
        )  # fmt: skip
        for d in Discount.objects.order_by("valid_from", "id")
    ]


def discount_excluded(payer_type: PayerType) -> bool:
    setting = PayerTypeSetting.objects.filter(payer_type=payer_type.value).first()
    return bool(setting and setting.discount_excluded)


@dataclass(frozen=True)
class Quote:
    due: Due
    rows: list[dict[str, object]]  # the rule rows that decided it, for the person who asks why


def contribution_quote(
    *, income: int, period: Period, payer_type: PayerType, sector: str, jht: bool
) -> Quote:
    rates, tiers, discounts = rate_rows(), tier_rows(), discount_rows()
    excluded = discount_excluded(payer_type)
    due = rules.contribution_due(
        income=income, period=period, payer_type=payer_type, sector=sector, jht=jht, rates=rates, tiers=tiers,
        discounts=discounts, discount_excluded=excluded,
    )  # fmt: skip
    by_ref: dict[str, dict[str, object]] = {}
    for r in rates:
        by_ref[f"rate:{r.id}"] = {"rule": "rate", "id": r.id, "program": r.program.value, "basis": r.basis.value,
                                  "value": _number(r.value), "valid_from": str(r.valid_from),
                                  "valid_to": str(r.valid_to or ""), "source": r.source}  # fmt: skip
    for t in tiers:
        by_ref[f"tier:{t.id}"] = {"rule": "income_tier", "id": t.id, "lower": t.lower, "upper": t.upper,
                                  "valid_from": str(t.valid_from), "valid_to": str(t.valid_to or ""), "source": t.source}  # fmt: skip
    for d in discounts:
        by_ref[f"discount:{d.id}"] = {"rule": "discount", "id": d.id, "name": d.name,
                                      "programs": sorted(p.value for p in d.programs), "percent": _number(d.percent),
                                      "sector": d.sector.value, "valid_from": str(d.valid_from),
                                      "valid_to": str(d.valid_to or ""), "source": d.source}  # fmt: skip
    by_ref[f"payer:{payer_type.value}"] = {"rule": "payer_type", "payer_type": payer_type.value,
                                           "discount_excluded": excluded,
                                           "source": "PP 50/2025: no discount where APBN or APBD pays (setting per payer type)"}  # fmt: skip
    return Quote(due=due, rows=[by_ref[ref] for ref in due.rules_used])


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# ------------------------------------------------------------------------------------- the ledger, scoped

PAGE_SIZE = 50


def payer_q(viewer: Viewer, prefix: str = "") -> Q:
    """The payers a viewer may see: by region like workers; a sponsor only its own; an agent also its
    own collection."""
    if viewer.all_regions:
        return Q()
    if viewer.role == Role.SPONSOR:
        return Q(**{f"{prefix}sponsor_ref": viewer.sponsor_ref}) if viewer.sponsor_ref else Q(pk__in=[])
    q = viewer.region_q(prefix)
    if viewer.role == Role.AGENT and viewer.user_id:
        q |= Q(**{f"{prefix}agent_id": viewer.user_id})
    return q


@dataclass(frozen=True)
class BillRow:
    id: int
    period: str
    seq: int
    payer_name: str
    payer_type: str
    va_number: str
    first_period: str
    last_period: str
    lines_count: int
    amount_total: int
    amount_paid: int
    amount_lapsed: int
    status: str
    status_label: str
    issued_at: dt.datetime
    due_date: dt.date

    @property
    def amount_open(self) -> int:
        return self.amount_total - self.amount_paid - self.amount_lapsed


@dataclass(frozen=True)
class BillPage:
    rows: list[BillRow]
    next_after: int | None


def _bill_row(b: Bill) -> BillRow:
    return BillRow(
        b.pk, b.period, b.seq, b.payer_name, b.payer_type, b.va_number, b.first_period, b.last_period,
        b.lines_count, b.amount_total, b.amount_paid, b.amount_lapsed, b.status, BillStatus(b.status).label,
        b.issued_at, b.due_date,
    )  # fmt: skip


def bill_office(*, viewer: Viewer, bill_id: int) -> str:
    """The office whose header the bill carries: the branch serving the payer's region (issue #14)."""
    bill_get(viewer=viewer, bill_id=bill_id)
    found = (
        Payer.objects.filter(bills__pk=bill_id)
        .values_list("village_id", "district_code", "regency_code", "province_code")
        .first()
    )
    code = next((str(c) for c in found or () if c), "")
    return office_of(region_code=code)


def bill_list(
    *, viewer: Viewer, period: str = "", status: str = "", after: int | None = None, limit: int = PAGE_SIZE
) -> BillPage:
    qs = Bill.objects.filter(payer_q(viewer, "payer__"))
    if period:
        qs = qs.filter(period=period)
    if status in BillStatus.values:
        qs = qs.filter(status=status)
    if after:
        qs = qs.filter(pk__lt=after)
    rows = [_bill_row(b) for b in qs.order_by("-id")[: limit + 1]]
    return BillPage(rows[:limit], rows[limit - 1].id if len(rows) > limit else None)


@dataclass(frozen=True)
class LineRow:
    id: int
    worker_id: int
    full_name: str
    nik: str
    kpj: str
    village_code: str
    period: str
    income: int
    jkk: int
    jkm: int
    jht: int
    amount: int
    credited: int
    status: str
    status_label: str
    paid_at: dt.datetime | None


def bill_get(*, viewer: Viewer, bill_id: int) -> BillRow:
    found = Bill.objects.filter(payer_q(viewer, "payer__"), pk=bill_id).first()
    if found is None:
        raise NotFound("Tagihan tidak ditemukan.", code=ErrorCode.BILL_NOT_FOUND)
    return _bill_row(found)


def bill_lines(
    *, viewer: Viewer, bill_id: int, after: int | None = None, limit: int | None = PAGE_SIZE
) -> list[LineRow]:
    """A bill's lines in line order; NIK masked for roles that do not handle personal data."""
    bill_get(viewer=viewer, bill_id=bill_id)  # scope check
    qs = BillLine.objects.filter(bill_id=bill_id).order_by("id")
    if after:
        qs = qs.filter(pk__gt=after)
    values = qs.values_list(
        "id", "worker_id", "worker__full_name", "worker__nik", "worker__village_id", "period", "income", "jkk",
        "jkm", "jht", "amount", "credited", "status", "paid_at",
    )  # fmt: skip
    rows = list(values if limit is None else values[:limit])
    kpj = dict(
        Membership.objects.filter(worker_id__in={r[1] for r in rows})
        .order_by("worker_id", "id")
        .values_list("worker_id", "kpj")
    )
    show = viewer.sees_personal_data
    return [
        LineRow(i, w, name, (nik or "") if show else mask_nik(nik), kpj.get(w, ""), village, period, income, jkk, jkm,
                jht, amount, credited, status, LineStatus(status).label, paid_at)
        for i, w, name, nik, village, period, income, jkk, jkm, jht, amount, credited, status, paid_at in rows
    ]  # fmt: skip


# ------------------------------------------------------------------------------------- payments


@dataclass(frozen=True)
class PaymentRow:
    id: int
    source: str
    bank: str
    reference: str
    va_number: str
    amount: int
    paid_at: dt.datetime
    payer_id: int | None
    payer_name: str
    status: str
    status_label: str
    reason_code: str
    reason: str
    settled_note: str


def _payment_row(p: Payment) -> PaymentRow:
    return PaymentRow(
        p.pk, p.source, p.bank, p.reference, p.va_number, p.amount, p.paid_at, p.payer_id,
        p.payer.name if p.payer else "", p.status, PaymentStatus(p.status).label, p.reason_code, p.reason,
        p.settled_note,
    )  # fmt: skip


def payment_list(
    *, viewer: Viewer, status: str = "", after: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[PaymentRow], int | None]:
    """Payments of the payers a viewer sees. Unmatched payments belong to no payer yet: only the roles that
    settle them (branch office, administrator) see the queue."""
    q = payer_q(viewer, "payer__")
    if may_handle_payments(viewer.role):
        q |= Q(payer__isnull=True)
    qs = Payment.objects.filter(q).select_related("payer")
    if status in PaymentStatus.values:
        qs = qs.filter(status=status)
    if after:
        qs = qs.filter(pk__lt=after)
    rows = [_payment_row(p) for p in qs.order_by("-id")[: limit + 1]]
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)


def reconciliation_queue(*, viewer: Viewer, limit: int = 200) -> list[PaymentRow]:
    if not may_handle_payments(viewer.role):
        return []
    qs = Payment.objects.filter(payment_scope_q(viewer), status=PaymentStatus.UNMATCHED)
    return [_payment_row(p) for p in qs.select_related("payer").order_by("paid_at", "id")[:limit]]


def payment_scope_q(viewer: Viewer) -> Q:
    """Payments whose queue the viewer works (issue #13): national roles all; a branch the money it, or one of its
    regions, recorded; never the nation's ("" scope) for a region role."""
    if viewer.all_regions:
        return Q()
    if not viewer.region_codes:
        return Q(pk__in=[])
    return Q(scope__in=[",".join(viewer.region_codes)[:200], *viewer.region_codes])


def statement_profiles() -> list[StatementProfile]:
    return list(StatementProfile.objects.order_by("name"))


def banks() -> list[Bank]:
    """The active banks, for the payment form's choice."""
    return list(Bank.objects.filter(active=True).order_by("name"))


def bank_resolve(text: str, *, field: str = "bank") -> Bank:
    """The bank a name means, from the controlled list: its code written any way ("BCA", " bca", "Bank BCA")
    or its full name. Unknown or inactive: BANK_UNKNOWN with the codes there are."""
    if not (text or "").strip():
        raise ValidationFailed("Nama bank wajib diisi.", code=ErrorCode.BANK_MISSING, field=field)
    code = rules.bank_code(text[:200])
    found = Bank.objects.filter(active=True, code=code).first() if rules.BANK_CODE.match(code) else None
    if found is None:
        found = next((b for b in Bank.objects.filter(active=True) if rules.bank_code(b.name) == code), None)
    if found is None:
        known = ", ".join(Bank.objects.filter(active=True).order_by("code").values_list("code", flat=True))
        raise ValidationFailed(f"Bank '{text.strip()[:40]}' tidak ada di daftar bank ({known}).",
                               code=ErrorCode.BANK_UNKNOWN, field=field)  # fmt: skip
    return found


# ------------------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class CoverageMonth:
    period: str
    state: str  # rules.MonthState
    amount: int
    paid_at: dt.datetime | None
    payer_name: str
    payer_type: str
    last_payable: str  # the last month in which an unpaid month can still be paid

    @property
    def covered(self) -> bool:
        return self.state == MonthState.PAID


@dataclass(frozen=True)
class Coverage:
    worker_id: int
    kpj: str
    standing: str
    standing_label: str
    arrears: list[str]
    arrears_amount: int
    ended_in: str
    reactivated_in: str
    months: list[CoverageMonth]  # oldest first


STANDING_LABELS = {
    Standing.ACTIVE: "Aktif",
    Standing.ARREARS: "Menunggak (masa tenggang)",
    Standing.ENDED: "Berakhir",
    Standing.NOT_MEMBER: "Belum ditagih",
}


def coverage_get(*, viewer: Viewer, worker_id: int, as_of: Period, months: int = 12) -> Coverage:
    """A worker's months: paid (when, by whom), unpaid (until when it may be paid), lapsed, not billed; and
    the standing the rules derive from the whole history (rules.membership_standing)."""
    if not Worker.objects.filter(viewer.worker_q(), pk=worker_id).exists():
        raise NotFound("Pekerja tidak ditemukan.", code=ErrorCode.WORKER_NOT_FOUND)
    lines = list(
        BillLine.objects.filter(worker_id=worker_id)
        .order_by("period")
        .values_list("period", "status", "amount", "paid_at", "payer__name", "payer__payer_type")
    )
    states = {Period.parse(p): _state(s) for p, s, *_ in lines}
    standing = membership_standing(months=states, as_of=as_of)
    by_period = {line[0]: line for line in lines}
    first = as_of.plus(-(months - 1))
    out = []
    for i in range(months):
        period = str(first.plus(i))
        found = by_period.get(period)
        if found is None:
            out.append(CoverageMonth(period, MonthState.NOT_BILLED, 0, None, "", "", ""))
            continue
        _, status, amount, paid_at, payer_name, payer_type = found
        out.append(CoverageMonth(period, _state(status), amount, paid_at, payer_name, payer_type,
                                 str(last_payable_month(Period.parse(period)))))  # fmt: skip
    kpj = (
        Membership.objects.filter(worker_id=worker_id).order_by("-id").values_list("kpj", flat=True).first()
        or ""
    )
    arrears = [str(p) for p in standing.arrears]
    amounts = {p: a for p, _, a, *_ in lines}
    return Coverage(
        worker_id, kpj, standing.standing.value, STANDING_LABELS[standing.standing], arrears,
        sum(amounts[p] for p in arrears), str(standing.ended_in or ""), str(standing.reactivated_in or ""), out,
    )  # fmt: skip


def _state(status: str) -> MonthState:
    return {"paid": MonthState.PAID, "open": MonthState.UNPAID, "lapsed": MonthState.LAPSED}[status]


@dataclass(frozen=True)
class PaidMonth:
    period: str
    paid_at: dt.datetime  # when the month counts as paid: when Jaring learned of the money (decision 0013)
    payer_name: str
    payer_type: str
    value_date: dt.datetime | None = None  # the date the payment carried (typed, in a statement, by a bank)
    source: str = ""  # manual, statement, notify; "" when paid from the payer's credit


def contribution_paid(*, worker_id: int, period: Period, on_or_before: dt.datetime) -> PaidMonth | None:
    """The one question a claim asks: was this worker's month paid in full on or before this moment (no
    buying cover after the accident, domain rules section 2)? The moment a line counts as paid is when Jaring
    learned of the money (or a bank's signed time), never a typed date. The claim's own scoping decides who
    asks."""
    found = (
        BillLine.objects.filter(
            worker_id=worker_id, period=str(period), status=LineStatus.PAID, paid_at__lte=on_or_before
        )
        .values_list("paid_at", "payer__name", "payer__payer_type", "payment__paid_at", "payment__source")
        .first()
    )
    if found is None or found[0] is None:
        return None
    return PaidMonth(str(period), found[0], found[1], found[2], found[3], found[4] or "")


def paid_months(*, worker_id: int, on_or_before: dt.datetime) -> int:
    """Masa iur: how many of the worker's months were paid on or before this moment (JKM scholarships need 36)."""
    return BillLine.objects.filter(
        worker_id=worker_id, status=LineStatus.PAID, paid_at__lte=on_or_before
    ).count()


# ------------------------------------------------------------------------------------- arrears


class ArrearsGroup(StrEnum):
    PAYER = "payer"  # per sponsor / payer
    VILLAGE = "village"
    AGENT = "agent"


@dataclass(frozen=True)
class ArrearsRow:
    key: str
    name: str
    workers: int
    months: int
    amount: int  # to pay now to restore cover: every payable unpaid month up to and including this one


def arrears_list(*, viewer: Viewer, group: ArrearsGroup, as_of: Period, limit: int = 500) -> list[ArrearsRow]:
    """Who owes what to restore cover, grouped per payer, per village or per agent's collection: unpaid months
    still inside their grace window, up to the current month."""
    qs = BillLine.objects.filter(
        viewer.region_q("worker__") if not viewer.all_regions and viewer.role != Role.SPONSOR else Q(),
        payer_q(viewer, "payer__") if viewer.role in (Role.SPONSOR, Role.AGENT) else Q(),
        status=LineStatus.OPEN,
        period__lte=str(as_of),
        period__gte=str(as_of.plus(-GRACE_MONTHS)),
    )
    if group == ArrearsGroup.VILLAGE:
        keys = ("worker__village_id", "worker__village__name")
    elif group == ArrearsGroup.AGENT:
        qs = qs.filter(payer__kind=PayerKind.AGENT)
        keys = ("payer_id", "payer__name")
    else:
        keys = ("payer_id", "payer__name")
    rows = (
        qs.values(*keys)
        .annotate(workers=Count("worker_id", distinct=True), months=Count("id"), amount=Sum("amount"))
        .order_by("-amount", keys[0])[:limit]
    )
    return [
        ArrearsRow(str(r[keys[0]]), r[keys[1]] or "", r["workers"], r["months"], r["amount"] or 0)
        for r in rows
    ]


def due_table(combos: pl.DataFrame) -> pl.DataFrame:
    """The rules priced once per distinct (income, sector, payer type, JHT, month): a million lines need a
    few dozen calls of contribution_due, never one per line."""
    rates, tiers, discounts = rate_rows(), tier_rows(), discount_rows()
    excluded = {p: discount_excluded(p) for p in PayerType}
    out = []
    for income, sector, payer_type, jht, period in combos.iter_rows():
        ptype = PayerType(payer_type)
        due = rules.contribution_due(
            income=income, period=Period.parse(period), payer_type=ptype, sector=sector, jht=jht, rates=rates,
            tiers=tiers, discounts=discounts, discount_excluded=excluded[ptype],
        )  # fmt: skip
        out.append((income, sector, payer_type, jht, period, due.jkk, due.jkm, due.jht, due.total))
    return pl.DataFrame(
        out,
        schema={"income": pl.Int64, "sector": pl.String, "payer_type": pl.String, "jht": pl.Boolean,
                "period": pl.String, "jkk": pl.Int64, "jkm": pl.Int64, "jht_amount": pl.Int64, "amount": pl.Int64},
        orient="row",
    )  # fmt: skip


def coverage_by_nik(*, viewer: Viewer, nik: str, as_of: Period, months: int = 12) -> Coverage:
    """`coverage_get` for a worker named by NIK (the command line, a worker asking at the desk)."""
    worker_id = worker_id_by_key(key=nik) if len(nik_clean(nik)) == 16 else None
    if worker_id is None:
        raise NotFound("Pekerja dengan NIK itu tidak ditemukan.", code=ErrorCode.WORKER_NOT_FOUND)
    return coverage_get(viewer=viewer, worker_id=worker_id, as_of=as_of, months=months)


def covered_count(*, viewer: Viewer, period: Period) -> int:
    """For a home page: workers of the viewer's region whose month is paid (covered this month)."""
    workers = Worker.objects.filter(viewer.worker_q(), merged_into__isnull=True).values("pk")
    return (BillLine.objects.filter(period=str(period), status=LineStatus.PAID, worker_id__in=workers)
            .values("worker_id").distinct().count())  # fmt: skip


def unmatched_count(*, viewer: Viewer) -> int:
    """For a home page: transfers waiting in the viewer's reconciliation queue."""
    if not may_handle_payments(viewer.role):
        return 0
    return Payment.objects.filter(payment_scope_q(viewer), status=PaymentStatus.UNMATCHED).count()


def sponsor_worker_ids(sponsor_ref: str) -> Any:
    """The workers a sponsor funds now or funded: assigned to one of its payers (a program's payer carries its
    sponsor). A subquery, for core's Viewer.worker_q (set in ContributionsConfig.ready)."""
    return PayerAssignment.objects.filter(payer__sponsor_ref=sponsor_ref).values("worker_id")


@dataclass(frozen=True)
class Collection:
    """An agent's collective account (issue #14, home): the workers it collects for, what is open, what came in."""

    va_number: str
    workers: int
    open_amount: int
    paid_amount: int  # matched transfers in all
    last_paid_at: dt.datetime | None


def agent_collection(*, viewer: Viewer) -> Collection | None:
    if viewer.role != Role.AGENT or viewer.user_id is None:
        return None
    payer = Payer.objects.filter(agent_id=viewer.user_id).first()
    if payer is None:
        return None
    workers = (
        PayerAssignment.objects.filter(payer=payer, last_period="").values("worker_id").distinct().count()
    )
    open_amount = BillLine.objects.filter(payer=payer, status=LineStatus.OPEN).aggregate(s=Sum("amount"))["s"]
    paid = Payment.objects.filter(payer=payer, status=PaymentStatus.MATCHED).aggregate(s=Sum("amount"),
                                                                                     at=Max("counted_at"))  # fmt: skip
    return Collection(payer.va_number, workers, int(open_amount or 0), int(paid["s"] or 0), paid["at"])
