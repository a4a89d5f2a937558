"""End of sponsorship (who is left without funding soon) and the overlap report (worker-months paid twice)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db.models import Exists, OuterRef, Q

from jaring.contributions.rules import PayerType
from jaring.contributions.selectors import due_table
from jaring.core.bulk import read_frame
from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.core.rules import Role, mask_nik
from jaring.core.selectors import Viewer
from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.models import Allocation, Program, Sponsor
from jaring.funding.selectors.planner import plan_month_costs
from jaring.funding.selectors.programs import _worker_scope, precedence_order, program_q
from jaring.registry.models import Worker

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
