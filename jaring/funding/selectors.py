"""Reads of funding for pages, the API and the command line: sponsors and programs the viewer may see,
budget used and left, the workers a program funds and its waiting list, the budget planner, the workers
whose sponsorship ends soon and the double funding that needs crediting back. Scoping happens here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from jaring.contributions.rules import PayerType
from jaring.contributions.selectors import contribution_quote, due_table
from jaring.core.bulk import read_frame
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.rules import Role, mask_nik
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.models import Allocation, AllocationRun, Decision, Program, Sponsor
from jaring.funding.rules import Outcome, Reason
from jaring.registry.models import Worker


def precedence_order() -> tuple[str, ...]:
    """Which payer level keeps a worker-month two programs want (a setting, docs/decisions/0007)."""
    return rules.precedence_parse(settings.JARING["FUNDING_PRECEDENCE"])


def sponsor_q(viewer: Viewer, prefix: str = "") -> Q:
    """Sponsors the viewer may see: a sponsor's users their own; region roles the sponsors of their region
    (the branch office also the national ones: companies and donors); administrators all."""
    if viewer.all_regions:
        return Q()
    if viewer.role == Role.SPONSOR:
        return Q(**{f"{prefix}ref": viewer.sponsor_ref}) if viewer.sponsor_ref else Q(pk__in=[])
    q = Q(pk__in=[])
    for code in viewer.region_codes:
        q |= Q(**{f"{prefix}region_code": code}) | Q(**{f"{prefix}region_code__startswith": code + "."})
    if viewer.role == Role.BRANCH:
        q |= Q(**{f"{prefix}region_code": ""})
    return q


def program_q(viewer: Viewer) -> Q:
    return sponsor_q(viewer, prefix="sponsor__")


def _worker_scope(viewer: Viewer, prefix: str = "worker__") -> Q:
    """Workers of a visible program: a region role sees those of its own region; a sponsor all it funds."""
    if viewer.all_regions or viewer.role == Role.SPONSOR:
        return Q()
    return viewer.region_q(prefix=prefix)


def sponsor_list(*, viewer: Viewer) -> list[Sponsor]:
    return list(
        Sponsor.objects.filter(sponsor_q(viewer)).annotate(program_count=Count("programs")).order_by("name")
    )


@dataclass(frozen=True)
class ProgramRow:
    id: int
    name: str
    sponsor: str
    sponsor_ref: str
    payer_type: str
    budget: int
    committed: int
    left: int
    funded_workers: int
    first_period: str
    last_period: str
    months: int
    status: str
    is_donation: bool
    va_number: str

    @property
    def used_percent(self) -> int:
        return round(100 * self.committed / self.budget) if self.budget else 0


def sponsor_find(*, viewer: Viewer, key: str) -> Sponsor | None:
    """A sponsor in the viewer's reach named by its code (ref) or its id (the command line)."""
    found = Sponsor.objects.filter(sponsor_q(viewer), ref=key).first()
    if found is None and key.isdigit():
        found = Sponsor.objects.filter(sponsor_q(viewer), pk=int(key)).first()
    return found


def _row(p: Program) -> ProgramRow:
    last = str(Period.parse(p.first_period).plus(p.months - 1))
    return ProgramRow(
        id=p.pk, name=p.name, sponsor=p.sponsor.name, sponsor_ref=p.sponsor.ref, payer_type=p.payer_type,
        budget=p.budget, committed=p.committed, left=p.budget - p.committed, funded_workers=p.funded_workers,
        first_period=p.first_period, last_period=last, months=p.months, status=p.status, is_donation=p.is_donation,
        va_number=p.payer.va_number,
    )  # fmt: skip


def program_list(
    *, viewer: Viewer, sponsor_id: int | None = None, donations: bool | None = None
) -> list[ProgramRow]:
    query = Program.objects.filter(program_q(viewer)).select_related("sponsor", "payer")
    if sponsor_id is not None:
        query = query.filter(sponsor_id=sponsor_id)
    if donations is not None:
        query = query.filter(is_donation=donations)
    return [_row(p) for p in query.order_by("-id")[:500]]


def program_get(*, viewer: Viewer, program_id: int) -> Program:
    program = (
        Program.objects.filter(program_q(viewer), pk=program_id).select_related("sponsor", "payer").first()
    )
    if program is None:
        raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
    return program


def program_summary(*, viewer: Viewer, program_id: int) -> ProgramRow:
    return _row(program_get(viewer=viewer, program_id=program_id))


@dataclass(frozen=True)
class FundedRow:
    id: int  # the allocation (keyset)
    worker_id: int
    name: str
    nik: str
    village_code: str
    occupation: str
    first_period: str
    last_period: str
    months: int
    cost: int


def program_workers(
    *, viewer: Viewer, program_id: int, after: int | None = None, limit: int | None = 100
) -> list[FundedRow]:
    """The workers a program funds, in allocation order. NIK masked for those who do not need it."""
    program_get(viewer=viewer, program_id=program_id)
    query = Allocation.objects.filter(_worker_scope(viewer), program_id=program_id).order_by("id")
    if after:
        query = query.filter(id__gt=after)
    values = query.values_list(
        "id", "worker_id", "worker__full_name", "worker__nik", "worker__village_id", "worker__occupation",
        "first_period", "last_period", "months", "cost",
    )  # fmt: skip
    rows = values if limit is None else values[:limit]
    masked = not viewer.sees_personal_data
    return [
        FundedRow(
            i, w, name, mask_nik(nik) if masked else (nik or ""), village, occ, first, last, months, cost
        )
        for i, w, name, nik, village, occ, first, last, months, cost in rows
    ]


def _latest_run(program_id: int) -> int | None:
    """The latest allocation run that included the program."""
    return (
        AllocationRun.objects.filter(outcomes__has_key=str(program_id))
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )


@dataclass(frozen=True)
class WaitRow:
    rank: int
    worker_id: int
    name: str
    nik: str
    village_code: str
    reason: str
    reason_label: str
    months: int
    cost: int


def program_waitlist(*, viewer: Viewer, program_id: int, limit: int = 200) -> list[WaitRow]:
    """The waiting list of the program's latest run, in priority order."""
    program_get(viewer=viewer, program_id=program_id)
    run = _latest_run(program_id)
    if run is None:
        return []
    rows = (
        Decision.objects.filter(_worker_scope(viewer), program_id=program_id, run_id=run, outcome=Outcome.WAITLISTED)
        .order_by("rank")
        .values_list("rank", "worker_id", "worker__full_name", "worker__nik", "worker__village_id", "reason",
                     "months", "cost")[:limit]
    )  # fmt: skip
    masked = not viewer.sees_personal_data
    return [
        WaitRow(rank or 0, w, name, mask_nik(nik) if masked else (nik or ""), village, reason,
                rules.REASON_LABELS.get(Reason(reason), reason), months, cost)
        for rank, w, name, nik, village, reason, months, cost in rows
    ]  # fmt: skip


@dataclass(frozen=True)
class ReasonCount:
    outcome: str
    reason: str
    label: str
    workers: int


def program_nobody_funded(*, viewer: Viewer, program_id: int) -> dict[str, str] | None:
    """Why the latest run that included the program funded nobody new (code, message, message_en), if it did."""
    program_get(viewer=viewer, program_id=program_id)
    key = str(program_id)
    run = (
        AllocationRun.objects.filter(outcomes__has_key=key)
        .order_by("-id")
        .values_list("outcomes", flat=True)
        .first()
    )
    return None if run is None else run[key].get("nobody_funded")


def program_decisions(*, viewer: Viewer, program_id: int) -> list[ReasonCount]:
    """What the latest run that included the program decided, counted by outcome and reason (the run keeps
    the counts: workers whose months other programs fund are counted there, not listed)."""
    program_get(viewer=viewer, program_id=program_id)
    key = str(program_id)
    run = (
        AllocationRun.objects.filter(outcomes__has_key=key)
        .order_by("-id")
        .values_list("outcomes", flat=True)
        .first()
    )
    if run is None:
        return []
    found = run[key]
    out = (
        [ReasonCount(Outcome.ASSIGNED.value, "", "Didanai", found.get("assigned", 0))]
        if found.get("assigned")
        else []
    )
    for outcome in (Outcome.WAITLISTED, Outcome.EXCLUDED):
        for reason, n in sorted(found.get(outcome.value, {}).items(), key=lambda kv: -kv[1]):
            out.append(ReasonCount(outcome.value, reason, rules.REASON_LABELS[Reason(reason)], n))
    return out


# ------------------------------------------------------------------------------------- planner


def plan_month_costs(
    *,
    payer_type: PayerType,
    first_period: Period,
    months: int,
    income: int | None = None,
    sector: str = "other",
    jht: bool = False,
) -> list[int]:
    """One worker's contribution for each month of a plan, by the contribution rules in force that month."""
    income = income if income is not None else settings.JARING["DEFAULT_INCOME_TIER"]
    combos = pl.DataFrame({
        "income": [income] * months, "sector": [sector] * months, "payer_type": [payer_type.value] * months,
        "jht": [jht] * months, "period": [str(first_period.plus(i)) for i in range(months)],
    })  # fmt: skip
    prices = due_table(combos)
    by_period = dict(
        zip(prices.get_column("period").to_list(), prices.get_column("amount").to_list(), strict=True)
    )
    return [int(by_period[str(first_period.plus(i))]) for i in range(months)]


@dataclass(frozen=True)
class PlanMonth:
    period: str
    amount: int


@dataclass(frozen=True)
class BudgetPlan:
    payer_type: str
    first_period: str
    months: int
    income: int
    sector: str
    jht: bool
    per_month: list[PlanMonth]
    cost_per_worker: int
    workers: int | None
    total: int | None
    budget: int | None
    workers_covered: int | None
    sources: list[str] = field(default_factory=list)


def budget_plan(
    *,
    payer_type: PayerType,
    months: int,
    first_period: Period,
    workers: int | None = None,
    budget: int | None = None,
    income: int | None = None,
    sector: str = "other",
    jht: bool = False,
) -> BudgetPlan:
    """ "What does covering N workers for M months cost" and "how many workers does this budget cover", priced
    month by month by the contribution rules (the PP 50/2025 discount where it applies)."""
    if not 1 <= months <= 60:
        raise ValidationFailed("Lama rencana 1-60 bulan.", code=ErrorCode.MONTHS_INVALID, field="months")
    if workers is None and budget is None:
        raise ValidationFailed(
            "Isi jumlah pekerja atau anggaran.", code=ErrorCode.PLAN_INPUT_MISSING, field="workers"
        )
    if workers is not None and workers < 0:
        raise ValidationFailed(
            "Jumlah pekerja tidak boleh negatif.", code=ErrorCode.WORKERS_INVALID, field="workers"
        )
    if budget is not None and budget < 0:
        raise ValidationFailed("Anggaran tidak boleh negatif.", code=ErrorCode.BUDGET_INVALID, field="budget")
    if sector not in ("transport", "other"):
        raise ValidationFailed("Sektor: transport atau other.", code=ErrorCode.SECTOR_UNKNOWN, field="sector")
    income = income if income is not None else settings.JARING["DEFAULT_INCOME_TIER"]
    # The rules validate the income (tiers) and the payer type: one quote says why a plan cannot be priced.
    quote = contribution_quote(
        income=income, period=first_period, payer_type=payer_type, sector=sector, jht=jht
    )
    costs = plan_month_costs(payer_type=payer_type, first_period=first_period, months=months, income=income,
                             sector=sector, jht=jht)  # fmt: skip
    plan = rules.plan_cost(month_costs=costs, workers=workers or 0)
    covered = (
        rules.workers_affordable(budget=budget, cost_per_worker=plan.cost_per_worker)
        if budget is not None
        else None
    )
    return BudgetPlan(
        payer_type=payer_type.value, first_period=str(first_period), months=months, income=income, sector=sector,
        jht=jht, per_month=[PlanMonth(str(first_period.plus(i)), c) for i, c in enumerate(costs)],
        cost_per_worker=plan.cost_per_worker, workers=workers, total=plan.total if workers is not None else None,
        budget=budget, workers_covered=covered, sources=sorted({str(r.get("source", "")) for r in quote.rows} - {""}),
    )  # fmt: skip


# ------------------------------------------------------------------------------------- end of sponsorship


@dataclass(frozen=True)
class EndingRow:
    worker_id: int
    name: str
    nik: str
    village_code: str
    village: str
    sponsor: str
    program_id: int
    program: str
    last_period: str
    invitation: str


@dataclass(frozen=True)
class Ending:
    today: dt.date
    days: int
    rows: list[EndingRow]
    by_sponsor: list[tuple[str, int]]
    by_village: list[tuple[str, str, int]]
    truncated: bool


def sponsorship_ending(
    *, viewer: Viewer, today: dt.date, days: int = rules.ENDING_NOTICE_DAYS, limit: int | None = 5_000
) -> Ending:
    """Workers whose funded months end within `days` and whom no other funding picks up the month after, with
    the invitation to continue as mandiri."""
    if not 1 <= days <= 366:
        raise ValidationFailed("Jangka waktu 1-366 hari.", code=ErrorCode.DAYS_INVALID, field="days")
    lasts = []
    period = Period.of(today)
    while period.first_day() <= today + dt.timedelta(days=days):
        if rules.ending_soon(last_period=period, today=today, days=days):
            lasts.append(period)
        period = period.plus(1)
    q = Q(pk__in=[])
    for last in lasts:
        follow = Allocation.objects.filter(
            worker_id=OuterRef("worker_id"), first_period__lte=str(last.plus(1)), last_period__gt=str(last)
        )
        q |= Q(Q(last_period=str(last)), ~Exists(follow))
    query = (
        Allocation.objects.filter(q, program__in=Program.objects.filter(program_q(viewer)))
        .filter(_worker_scope(viewer))
        .order_by("program__sponsor__name", "worker__village_id", "worker__full_name", "id")
    )
    values = query.values_list(
        "worker_id", "worker__full_name", "worker__nik", "worker__village_id", "worker__village__name",
        "program__sponsor__name", "program_id", "program__name", "last_period", "program__payer_type",
    )  # fmt: skip
    rows = list(values if limit is None else values[: limit + 1])
    truncated = limit is not None and len(rows) > limit
    rows = rows[:limit] if limit is not None else rows
    masked = not viewer.sees_personal_data
    monthly = {
        p: plan_month_costs(payer_type=PayerType.MANDIRI, first_period=p.plus(1), months=1)[0] for p in lasts
    }
    out = [
        EndingRow(w, name, mask_nik(nik) if masked else (nik or ""), vcode, vname or "", sponsor, pid, pname, last,
                  rules.invitation(name=name, sponsor=sponsor, last_period=Period.parse(last),
                                   monthly=monthly[Period.parse(last)]))
        for w, name, nik, vcode, vname, sponsor, pid, pname, last, _ in rows
    ]  # fmt: skip
    by_sponsor: dict[str, int] = {}
    by_village: dict[tuple[str, str], int] = {}
    for s, v, vn in query.values_list(
        "program__sponsor__name", "worker__village_id", "worker__village__name"
    ):
        by_sponsor[s] = by_sponsor.get(s, 0) + 1
        by_village[(v, vn or "")] = by_village.get((v, vn or ""), 0) + 1
    return Ending(
        today=today, days=days, rows=out, by_sponsor=sorted(by_sponsor.items()),
        by_village=[(c, n, k) for (c, n), k in sorted(by_village.items())], truncated=truncated,
    )  # fmt: skip


# ------------------------------------------------------------------------------------- overlaps


@dataclass(frozen=True)
class OverlapRow:
    worker_id: int
    name: str
    nik: str
    keeps_program: str
    keeps_sponsor: str
    credit_program: str
    credit_sponsor: str
    first_period: str
    last_period: str
    months: int
    credit_amount: int


@dataclass(frozen=True)
class Overlaps:
    rows: list[OverlapRow]
    credit_by_sponsor: list[tuple[str, int, int]]  # sponsor, months, amount


def overlap_report(*, viewer: Viewer, order: tuple[str, ...] | None = None) -> Overlaps:
    """Worker-months two programs both fund (legacy lists, records merged by duplicate detection). The program
    of higher precedence keeps the month (the older allocation, between equals); the other sponsor is
    credited what it committed for it."""
    order = order or precedence_order()
    alloc, prog, spon, work = (m._meta.db_table for m in (Allocation, Program, Sponsor, Worker))
    visible = list(Program.objects.filter(program_q(viewer)).values_list("id", flat=True))
    if not visible:
        return Overlaps([], [])
    frame = read_frame(
        f"SELECT a.worker_id, a.id, a.program_id, a.first_period, a.last_period, b.id, b.program_id, "
        f"b.first_period, b.last_period FROM {alloc} a JOIN {alloc} b ON b.worker_id = a.worker_id AND b.id > a.id "
        f"AND b.program_id <> a.program_id AND b.first_period <= a.last_period AND a.first_period <= b.last_period",
        [],
        {"worker_id": pl.Int64, "a_id": pl.Int64, "a_program": pl.Int64, "a_first": pl.String, "a_last": pl.String,
         "b_id": pl.Int64, "b_program": pl.Int64, "b_first": pl.String, "b_last": pl.String},
    )  # fmt: skip
    frame = frame.filter(pl.col("a_program").is_in(visible) | pl.col("b_program").is_in(visible))
    if (
        not viewer.all_regions and viewer.role != Role.SPONSOR
    ):  # a branch sees national programs, not all workers
        ids = frame.get_column("worker_id").unique().to_list()
        own = Worker.objects.filter(viewer.region_q(), pk__in=ids).values_list("id", flat=True)
        frame = frame.filter(pl.col("worker_id").is_in(list(own)))
    if frame.is_empty():
        return Overlaps([], [])
    programs = {
        p.pk: p
        for p in Program.objects.filter(
            pk__in=set(frame["a_program"]) | set(frame["b_program"])
        ).select_related("sponsor")
    }
    workers = {
        w.pk: w for w in Worker.objects.filter(pk__in=set(frame["worker_id"])).only("id", "full_name", "nik",
                                                                                   "income_tier", "sector")
    }  # fmt: skip
    pending = []
    for wid, a_id, a_p, a_first, a_last, b_id, b_p, b_first, b_last in frame.iter_rows():
        pa, pb = programs[a_p], programs[b_p]
        ra, rb = rules.precedence_rank(pa.payer_type, order), rules.precedence_rank(pb.payer_type, order)
        keep, lose = (pa, pb) if (ra, a_id) <= (rb, b_id) else (pb, pa)
        first, last = max(a_first, b_first), min(a_last, b_last)
        pending.append((wid, keep, lose, first, last))
    combos = pl.DataFrame(
        [(workers[w].income_tier, workers[w].sector, lose.payer_type, lose.jht, str(Period.parse(first).plus(i)))
         for w, _, lose, first, last in pending
         for i in range(Period.parse(last).index - Period.parse(first).index + 1)],
        schema={"income": pl.Int64, "sector": pl.String, "payer_type": pl.String, "jht": pl.Boolean, "period": pl.String},
        orient="row",
    ).unique()  # fmt: skip
    prices = {
        (i, s, t, j, p): a for i, s, t, j, p, a in due_table(combos).select(
            "income", "sector", "payer_type", "jht", "period", "amount").iter_rows()
    }  # fmt: skip
    masked = not viewer.sees_personal_data
    rows = []
    credit: dict[str, list[int]] = {}
    for wid, keep, lose, first, last in pending:
        w = workers[wid]
        span = Period.parse(last).index - Period.parse(first).index + 1
        amount = sum(prices[(w.income_tier, w.sector, lose.payer_type, lose.jht, str(Period.parse(first).plus(i)))]
                     for i in range(span))  # fmt: skip
        rows.append(OverlapRow(wid, w.full_name, mask_nik(w.nik) if masked else (w.nik or ""), keep.name,
                               keep.sponsor.name, lose.name, lose.sponsor.name, first, last, span, amount))  # fmt: skip
        total = credit.setdefault(lose.sponsor.name, [0, 0])
        total[0] += span
        total[1] += amount
    return Overlaps(rows, [(s, m, a) for s, (m, a) in sorted(credit.items())])
