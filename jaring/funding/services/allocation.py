"""Allocation runs: the database read once, the engine (funding.engine) deciding, the decisions written with
their reasons; funded months become the program's payer assignments."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jaring.contributions.models import BillLine
from jaring.contributions.selectors import due_table
from jaring.contributions.services import payer_assign_frame
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import insert_frame, read_frame
from jaring.core.errors import ErrorCode, NotFound
from jaring.core.rules import Permission, region_level_of
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.core.types import Period
from jaring.funding import engine, rules
from jaring.funding.models import (
    AllocationRun,
    AllocationSource,
    Program,
    ProgramStatus,
)
from jaring.funding.rules import Outcome, Priority, Reason
from jaring.funding.selectors import (
    RunPreview,
    precedence_order,
    program_manageable,
    program_q,
    run_preview,
)
from jaring.funding.services.common import (
    _REGION_COLUMN,
    ALLOCATION,
    DECISION,
    MEMBERSHIP,
    PAYER,
    WORKER,
    _programs_refresh,
)

# ------------------------------------------------------------------------------------- allocation


@dataclass
class ProgramOutcome:
    program_id: int
    name: str
    region_workers: int = 0  # workers of the program's regions this run looked at (each gets an outcome)
    assigned: int = 0
    assigned_months: int = 0
    waitlisted: int = 0
    waitlist_reasons: dict[str, int] = field(default_factory=dict)
    excluded: int = 0
    excluded_reasons: dict[str, int] = field(default_factory=dict)
    committed_by_run: int = 0
    budget: int = 0
    budget_committed: int = 0
    budget_left: int = 0
    nobody_funded: rules.NobodyFunded | None = None  # a run that funds nobody new says why


@dataclass
class AllocationResult:
    run_id: int | None
    dry_run: bool
    programs: list[ProgramOutcome]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)
    # A dry run's first workers funded, waiting and excluded per program (read before its rollback)
    previews: dict[int, RunPreview] = field(default_factory=dict)

    def totals(self) -> dict[str, Any]:
        reasons: dict[str, int] = {}
        waits: dict[str, int] = {}
        for p in self.programs:
            for k, v in p.excluded_reasons.items():
                reasons[k] = reasons.get(k, 0) + v
            for k, v in p.waitlist_reasons.items():
                waits[k] = waits.get(k, 0) + v
        assigned = sum(p.assigned for p in self.programs)
        why = rules.nobody_funded(
            region_workers=sum(p.region_workers for p in self.programs), assigned=assigned, excluded=reasons,
            waitlisted=waits, budget_left=sum(p.budget_left for p in self.programs),
        )  # fmt: skip
        return {
            "nobody_funded": None if why is None else dataclasses.asdict(why),
            "assigned": assigned,
            "assigned_months": sum(p.assigned_months for p in self.programs),
            "waitlisted": sum(p.waitlisted for p in self.programs),
            "waitlist_reasons": waits,
            "excluded": sum(p.excluded for p in self.programs),
            "excluded_reasons": reasons,
            "budget_committed": sum(p.budget_committed for p in self.programs),
            "committed_by_run": sum(p.committed_by_run for p in self.programs),
            "budget_left": sum(p.budget_left for p in self.programs),
            "region_workers": sum(p.region_workers for p in self.programs),
        }


def allocation_run(
    *,
    program_ids: Sequence[int] | None,
    viewer: Viewer,
    actor: Actor,
    dry_run: bool = False,
    preview: int = 0,
) -> AllocationResult:
    """Allocate the given active programs (None: every active program the viewer manages) together. A dry run
    computes everything and keeps nothing; with `preview` it lists that many workers of each program funded,
    waiting and excluded, with their reasons, before it rolls back. A re-run with nothing changed funds nobody
    new."""
    viewer.require(Permission.MANAGE_FUNDING)
    started = time.perf_counter()
    phases: dict[str, float] = {}
    with transaction.atomic():
        query = Program.objects.filter(program_q(viewer), status=ProgramStatus.ACTIVE)
        if program_ids is not None:
            wanted = set(program_ids)
            query = query.filter(pk__in=wanted)
        programs = [p for p in query.select_for_update().select_related("sponsor").order_by("pk")
                    if program_manageable(viewer, p)]  # fmt: skip
        if program_ids is not None and len(programs) != len(wanted):
            missing = sorted(wanted - {p.pk for p in programs})
            raise NotFound(
                f"Program {', '.join(map(str, missing))} tidak ditemukan, sudah ditutup, atau di luar wewenang Anda.",
                code=ErrorCode.PROGRAM_NOT_FOUND,
            )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Two runs at once must not both fund one worker-month: runs take turns.
                cursor.execute(f"LOCK TABLE {ALLOCATION} IN SHARE ROW EXCLUSIVE MODE")
        run = AllocationRun.objects.create(
            program=programs[0] if len(programs) == 1 else None, programs=len(programs),
            started_at=timezone.now(), actor=actor_user(actor),
        )  # fmt: skip
        outcomes = _allocate(programs=programs, run=run, actor=actor, phases=phases)
        seconds = round(time.perf_counter() - started, 2)
        reasons: dict[str, int] = {}
        for o in outcomes:
            for k, v in (*o.excluded_reasons.items(), *o.waitlist_reasons.items()):
                reasons[k] = reasons.get(k, 0) + v
        AllocationRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(), assigned=sum(o.assigned for o in outcomes),
            assigned_months=sum(o.assigned_months for o in outcomes),
            waitlisted=sum(o.waitlisted for o in outcomes), excluded=sum(o.excluded for o in outcomes),
            reasons=reasons, budget_committed=sum(o.committed_by_run for o in outcomes), seconds=seconds,
            outcomes={str(o.program_id): {"assigned": o.assigned, "months": o.assigned_months,
                                          "committed": o.committed_by_run, "waitlisted": o.waitlist_reasons,
                                          "excluded": o.excluded_reasons, "region_workers": o.region_workers,
                                          "nobody_funded": None if o.nobody_funded is None
                                          else dataclasses.asdict(o.nobody_funded)} for o in outcomes},
        )  # fmt: skip
        audit_record(
            actor=actor, action=AuditAction.ALLOCATION_RUN, entity_type=Entity.ALLOCATION_RUN, entity_id=run.pk,
            changes={"programs": [o.program_id for o in outcomes], "dry_run": dry_run,
                     "assigned": sum(o.assigned for o in outcomes), "reasons": reasons},
            batch_ref=f"allocation:{run.pk}",
        )  # fmt: skip
        previews = {}
        if dry_run:
            if preview:
                previews = {o.program_id: run_preview(viewer=viewer, run_id=run.pk, program_id=o.program_id,
                                                      limit=preview) for o in outcomes}  # fmt: skip
            transaction.set_rollback(True)
    return AllocationResult(None if dry_run else run.pk, dry_run, outcomes, seconds, phases, previews)


def _region_filter(programs: Sequence[Program]) -> tuple[str, list[Any]]:
    """SQL that keeps the workers some program may reach (all of them when one program is national)."""
    by_column: dict[str, set[str]] = {}
    for program in programs:
        codes = Program.split(program.region_codes)
        if not codes:
            return "", []
        for code in codes:
            by_column.setdefault(_REGION_COLUMN[region_level_of(code)], set()).add(code)
    parts, params = [], []
    for column, wanted in sorted(by_column.items()):
        parts.append(f"w.{column} IN ({', '.join(['%s'] * len(wanted))})")
        params.extend(sorted(wanted))
    return " AND (" + " OR ".join(parts) + ")", params


def _workers(programs: Sequence[Program]) -> pl.DataFrame:
    where, params = _region_filter(programs)
    frame = read_frame(
        f"SELECT w.id, w.village_code, w.district_code, w.regency_code, w.province_code, w.occupation, "
        f"w.ecosystem, CAST(w.birth_date AS TEXT), w.poverty_decile, w.sector, w.income_tier, "
        f"CASE WHEN EXISTS (SELECT 1 FROM {MEMBERSHIP} m WHERE m.worker_id = w.id AND m.status = 'active') THEN 1 "
        f"WHEN EXISTS (SELECT 1 FROM {MEMBERSHIP} m WHERE m.worker_id = w.id) THEN 2 ELSE 0 END "
        f"FROM {WORKER} w WHERE w.merged_into_id IS NULL{where}",
        params,
        {"worker_id": pl.Int64, "village_code": pl.String, "district_code": pl.String, "regency_code": pl.String,
         "province_code": pl.String, "occupation": pl.String, "ecosystem": pl.String, "birth": pl.String,
         "decile": pl.Int64, "sector": pl.String, "income": pl.Int64, "membership": pl.Int8},
    )  # fmt: skip
    birth = pl.col("birth").str.slice(0, 10)
    return frame.with_columns(
        birth.str.slice(0, 4).cast(pl.Int32, strict=False).alias("birth_year"),
        birth.str.slice(5, 2).cast(pl.Int32, strict=False).alias("birth_month"),
        birth.str.slice(8, 2).cast(pl.Int32, strict=False).alias("birth_day"),
    ).drop("birth")


def _program_frame(programs: Sequence[Program], order: Sequence[str]) -> pl.DataFrame:
    rows = []
    for p in programs:
        first = Period.parse(p.first_period)
        rows.append({
            "program_id": p.pk, "payer_id": p.payer_id, "payer_type": p.payer_type,
            "precedence": rules.precedence_rank(p.payer_type, order), "first_idx": first.index,
            "last_idx": first.index + p.months - 1, "first_year": first.year, "first_month": first.month,
            "jht": p.jht, "occupations": Program.split(p.occupations), "ecosystems": Program.split(p.ecosystems),
            "age_min": p.age_min, "age_max": p.age_max, "decile_max": p.decile_max,
            "only_uncovered": p.only_uncovered, "poorest": p.priority == Priority.POOREST,
            "budget_left": p.budget - p.committed,
            "max_left": None if p.max_workers is None else max(0, p.max_workers - p.funded_workers),
        })  # fmt: skip
    return pl.DataFrame(
        rows,
        schema={"program_id": pl.Int64, "payer_id": pl.Int64, "payer_type": pl.String, "precedence": pl.Int64,
                "first_idx": pl.Int64, "last_idx": pl.Int64, "first_year": pl.Int32, "first_month": pl.Int32,
                "jht": pl.Boolean, "occupations": pl.List(pl.String), "ecosystems": pl.List(pl.String),
                "age_min": pl.Int32, "age_max": pl.Int32, "decile_max": pl.Int64, "only_uncovered": pl.Boolean,
                "poorest": pl.Boolean, "budget_left": pl.Int64, "max_left": pl.Int64},
    )  # fmt: skip


def _pairs(programs: Sequence[Program], workers: pl.DataFrame) -> pl.DataFrame:
    """(program_id, worker_id) for every worker in a program's regions."""
    parts = []
    national = [p.pk for p in programs if not p.region_codes]
    if national:
        parts.append(workers.select("worker_id").join(pl.DataFrame({"program_id": national}), how="cross"))
    reach = [(p.pk, code) for p in programs for code in Program.split(p.region_codes)]
    if reach:
        frame = pl.DataFrame(
            reach, schema={"program_id": pl.Int64, "code": pl.String}, orient="row"
        ).with_columns((pl.col("code").str.count_matches(r"\.", literal=False) + 1).alias("level"))
        for level, column in _REGION_COLUMN.items():
            codes = frame.filter(pl.col("level") == level).select("program_id", "code")
            if codes.height:
                parts.append(
                    workers.select("worker_id", column).join(codes, left_on=column, right_on="code")
                    .select("worker_id", "program_id")
                )  # fmt: skip
    if not parts:
        return pl.DataFrame(schema={"program_id": pl.Int64, "worker_id": pl.Int64})
    return pl.concat([p.select("program_id", "worker_id") for p in parts]).unique()


def _pays_own_way(pairs: pl.DataFrame, progs: pl.DataFrame) -> pl.DataFrame:
    """(program_id, worker_id) of workers who paid a month themselves or through an agent in the 3 months
    before the program starts, for programs that fund only the not yet covered."""
    wanted = progs.filter(pl.col("only_uncovered"))
    empty = pl.DataFrame(schema={"program_id": pl.Int64, "worker_id": pl.Int64})
    if wanted.is_empty():
        return empty
    lo = engine.period_at(int(wanted.get_column("first_idx").min()) - rules.COVERED_LOOKBACK_MONTHS)  # type: ignore[arg-type]  # min() of a non-empty Int64 column is an int
    hi = engine.period_at(int(wanted.get_column("first_idx").max()) - 1)  # type: ignore[arg-type]  # as above
    paid = read_frame(
        f"SELECT l.worker_id, l.period FROM {BillLine._meta.db_table} l JOIN {PAYER} p ON p.id = l.payer_id "
        f"WHERE l.status = 'paid' AND l.period >= %s AND l.period <= %s AND p.kind IN ('worker', 'agent')",
        [str(lo), str(hi)],
        {"worker_id": pl.Int64, "period": pl.String},
    )
    if paid.is_empty():
        return empty
    paid = paid.with_columns(engine.month_index("period").alias("idx"))
    return (
        pairs.join(wanted.select("program_id", "first_idx"), on="program_id")
        .join(paid.select("worker_id", "idx"), on="worker_id")
        .filter((pl.col("idx") < pl.col("first_idx")) & (pl.col("idx") >= pl.col("first_idx") - rules.COVERED_LOOKBACK_MONTHS))
        .select("program_id", "worker_id")
        .unique()
    )  # fmt: skip


def _windows(programs: Sequence[Program]) -> list[list[Program]]:
    """Programs grouped so that each group's months fit one mask (almost always: one group)."""
    groups: list[list[Program]] = []
    lo = 0
    for p in sorted(programs, key=lambda p: (p.first_period, p.pk)):
        first = Period.parse(p.first_period).index
        if not groups or first + p.months - 1 - lo >= engine.MASK_MONTHS:
            groups.append([])
            lo = first
        groups[-1].append(p)
    return groups


def _taken(worker_ids: pl.Series, lo: int, hi: int) -> pl.DataFrame:
    """Months in [lo, hi] some program already funds, per worker and program: (worker_id, by_program, held)."""
    frame = read_frame(
        f"SELECT worker_id, program_id, first_period, last_period FROM {ALLOCATION} "
        f"WHERE last_period >= %s AND first_period <= %s",
        [str(engine.period_at(lo)), str(engine.period_at(hi))],
        {"worker_id": pl.Int64, "by_program": pl.Int64, "first": pl.String, "last": pl.String},
    ).join(worker_ids.to_frame("worker_id").unique(), on="worker_id", how="semi")
    spans = frame.select("first", "last").unique()
    masks = {
        (f, t): engine.mask(max(Period.parse(f).index, lo), min(Period.parse(t).index, hi), lo)
        for f, t in spans.iter_rows()
    }
    table = pl.DataFrame(
        [(f, t, m) for (f, t), m in masks.items()],
        schema={"first": pl.String, "last": pl.String, "held": pl.Int64}, orient="row",
    )  # fmt: skip
    return (
        frame.join(table, on=["first", "last"])
        .group_by("worker_id", "by_program")
        .agg(pl.col("held").bitwise_or())
    )


def _price_table(claims: pl.DataFrame, lo: int, hi: int) -> pl.DataFrame | None:
    """Every distinct (income, sector, payer type, JHT) of the claims priced for each month of the window."""
    if not claims.height:
        return None
    months = pl.DataFrame({"period": [str(engine.period_at(m)) for m in range(lo, hi + 1)]})
    return due_table(claims.select(engine.PRICE_KEYS).unique().join(months, how="cross"))


def _allocate(
    *, programs: Sequence[Program], run: AllocationRun, actor: Actor, phases: dict[str, float]
) -> list[ProgramOutcome]:
    outcomes = {p.pk: ProgramOutcome(program_id=p.pk, name=p.name, budget=p.budget) for p in programs}
    for group in _windows(programs):
        _allocate_window(programs=group, run=run, actor=actor, phases=phases, outcomes=outcomes)
    tick = time.perf_counter()
    _programs_refresh([p.pk for p in programs])
    phases["refresh"] = round(time.perf_counter() - tick, 2)
    for program in Program.objects.filter(pk__in=[p.pk for p in programs]):
        o = outcomes[program.pk]
        o.waitlisted = sum(o.waitlist_reasons.values())
        o.excluded = sum(o.excluded_reasons.values())
        o.budget, o.budget_committed, o.budget_left = (
            program.budget,
            program.committed,
            program.budget - program.committed,
        )
        o.nobody_funded = rules.nobody_funded(
            region_workers=o.region_workers, assigned=o.assigned, excluded=o.excluded_reasons,
            waitlisted=o.waitlist_reasons, budget_left=o.budget_left,
        )  # fmt: skip
    return [outcomes[p.pk] for p in programs]


def _count(outcomes: dict[int, ProgramOutcome], frame: pl.DataFrame, *, waitlist: bool = False) -> None:
    for pid, reason, n in frame.group_by("program_id", "reason").len().iter_rows():
        target = outcomes[pid].waitlist_reasons if waitlist else outcomes[pid].excluded_reasons
        target[reason] = target.get(reason, 0) + n


def _allocate_window(
    *, programs: Sequence[Program], run: AllocationRun, actor: Actor, phases: dict[str, float],
    outcomes: dict[int, ProgramOutcome],
) -> None:  # fmt: skip
    def lap(name: str) -> None:
        phases[name] = round(phases.get(name, 0) + time.perf_counter() - tick, 2)

    tick = time.perf_counter()
    progs = _program_frame(programs, precedence_order())
    lo, hi = int(progs.get_column("first_idx").min()), int(progs.get_column("last_idx").max())  # type: ignore[arg-type]  # non-empty Int64 columns
    progs = progs.with_columns(
        pl.struct("first_idx", "last_idx").map_elements(lambda r: engine.mask(r["first_idx"], r["last_idx"], lo),
                                                        return_dtype=pl.Int64).alias("want")
    )  # fmt: skip
    workers = _workers(programs)
    lap("read")
    tick = time.perf_counter()
    pairs = _pairs(programs, workers)
    for pid, n in pairs.group_by("program_id").len().iter_rows():
        outcomes[pid].region_workers += n
    # Only an active member can be funded: the others of the program's regions are excluded, saying why.
    # membership: 1 an active card, 2 only ended ones, 0 none (read by _workers)
    not_members = workers.filter(pl.col("membership") != 1).select(
        "worker_id",
        pl.when(pl.col("membership") == 2).then(pl.lit(Reason.MEMBERSHIP_ENDED.value))
        .otherwise(pl.lit(Reason.NO_MEMBERSHIP.value)).alias("reason"),
    )  # fmt: skip
    unfundable = pl.DataFrame(schema={"program_id": pl.Int64, "worker_id": pl.Int64, "reason": pl.String})
    if not_members.height:  # usually none: every registration issues a card (decision 0010)
        unfundable = pairs.join(not_members, on="worker_id").select("program_id", "worker_id", "reason")
        pairs = pairs.join(not_members, on="worker_id", how="anti")
        workers = workers.filter(pl.col("membership") == 1)
    # Conditions are checked only where a program has some: most pairs (a regency's budget, a village's quota)
    # need the worker's price keys and decile, not the condition columns.
    conditional = progs.filter(
        (pl.col("occupations").list.len() > 0) | (pl.col("ecosystems").list.len() > 0) | pl.col("age_min").is_not_null()
        | pl.col("age_max").is_not_null() | pl.col("decile_max").is_not_null() | pl.col("only_uncovered")
    ).get_column("program_id")  # fmt: skip
    checked = pairs.filter(pl.col("program_id").is_in(conditional.implode()))
    checked = checked.join(workers, on="worker_id").join(progs, on="program_id")
    own = _pays_own_way(checked.select("program_id", "worker_id"), progs)
    checked = checked.join(own.with_columns(pl.lit(True).alias("pays_own_way")), on=["program_id", "worker_id"],
                           how="left").with_columns(pl.col("pays_own_way").fill_null(False))  # fmt: skip
    checked = engine.exclusion_frame(checked)
    excluded = pl.concat([
        unfundable, checked.filter(pl.col("reason").is_not_null()).select("program_id", "worker_id", "reason")
    ])  # fmt: skip
    _count(outcomes, excluded)
    slim = progs.select("program_id", "precedence", "want", "payer_type", "jht", "poorest")
    eligible = (
        pl.concat([
            pairs.filter(~pl.col("program_id").is_in(conditional.implode())),
            checked.filter(pl.col("reason").is_null()).select("program_id", "worker_id"),
        ])
        .join(workers.select("worker_id", "income", "sector", "decile"), on="worker_id")
        .join(slim, on="program_id")
        .select(
            "program_id", "worker_id", (pl.col("precedence") * 1_000_000_000 + pl.col("program_id")).alias("key"),
            "want", *engine.PRICE_KEYS,
            pl.when(pl.col("poorest")).then(pl.col("decile").fill_null(11)).otherwise(0).alias("p1"),
        )
    )  # fmt: skip
    del checked
    del pairs
    lap("eligibility")

    # Months already funded: by another program (funded elsewhere) or by this one (already assigned).
    tick = time.perf_counter()
    taken = _taken(eligible.get_column("worker_id"), lo, hi)
    held_all = taken.group_by("worker_id").agg(pl.col("held").bitwise_or().alias("held_all"))
    mine = taken.rename({"by_program": "program_id", "held": "mine"})
    claims = (
        eligible.join(held_all, on="worker_id", how="left").join(mine, on=["program_id", "worker_id"], how="left")
        .with_columns((pl.col("want") & ~pl.col("held_all").fill_null(0)).alias("free"))
    )  # fmt: skip
    nothing = claims.filter(pl.col("free") == 0).select(
        "program_id", "worker_id",
        pl.when((pl.col("want") & pl.col("mine").fill_null(0)) != 0).then(pl.lit(Reason.ALREADY_ASSIGNED.value))
        .otherwise(pl.lit(Reason.FUNDED_ELSEWHERE.value)).alias("reason"),
    )  # fmt: skip
    _count(outcomes, nothing)
    claims = claims.filter(pl.col("free") != 0).drop("want", "held_all", "mine")
    prices = engine.Prices(_price_table(claims, lo, hi), lo)
    lap("months")

    tick = time.perf_counter()
    result = engine.assign(claims, progs, prices)
    for part in result.elsewhere:
        _count(outcomes, part)
    won_all, waits = result.won, result.waits
    lap("assign")

    tick = time.perf_counter()
    if waits is not None:
        _count(outcomes, waits, waitlist=True)
    if won_all is not None:
        for pid, n, months, cost in (
            won_all.group_by("program_id")
            .agg(pl.len(), pl.col("months").sum(), pl.col("cost").sum())
            .iter_rows()
        ):
            o = outcomes[pid]
            o.assigned, o.assigned_months, o.committed_by_run = (
                o.assigned + n,
                o.assigned_months + months,
                o.committed_by_run + cost,
            )
    _write(run=run, progs=progs, won=won_all, waits=waits, excluded=excluded, prices=prices, actor=actor)
    lap("write")


def _write(
    *, run: AllocationRun, progs: pl.DataFrame, won: pl.DataFrame | None, waits: pl.DataFrame | None,
    excluded: pl.DataFrame, prices: engine.Prices, actor: Actor,
) -> None:  # fmt: skip
    """Allocations (one per run of consecutive months) and the billing run's payer assignments; decisions for
    the workers funded, waiting and excluded by a condition. Workers whose months other programs fund are
    counted, not listed: the allocations themselves say who funds them."""
    frames = []
    if won is not None and won.height:
        runs = (
            won.join(prices.runs(won, "free").drop("cost", "months"), on=[*engine.PRICE_KEYS, "free"])
            .select("program_id", "worker_id", "rank", "run_first", "run_last", "run_months", "run_cost")
            .explode("run_first", "run_last", "run_months", "run_cost")
            .sort("program_id", "rank", "run_first")
            .with_columns(engine.period_str("run_first").alias("first_period"), engine.period_str("run_last").alias("last_period"))
        )  # fmt: skip
        insert_frame(ALLOCATION, runs.select(
            "program_id", "worker_id", pl.lit(run.pk).alias("run_id"), "first_period", "last_period",
            pl.col("run_months").alias("months"), pl.col("run_cost").alias("cost"),
            pl.lit(AllocationSource.RUN.value).alias("source"), "rank",
        ))  # fmt: skip
        payer_assign_frame(
            frame=runs.join(progs.select("program_id", "payer_id"), on="program_id").select(
                "worker_id", "payer_id", "first_period", "last_period"
            ),
            actor=actor,
        )
    if waits is not None and waits.height:
        frames.append(waits.select("program_id", "worker_id", pl.lit(Outcome.WAITLISTED.value).alias("outcome"),
                                   "reason", "rank", "months", "cost"))  # fmt: skip
    if excluded.height:
        frames.append(excluded.select(
            "program_id", "worker_id", pl.lit(Outcome.EXCLUDED.value).alias("outcome"), "reason",
            pl.lit(None, dtype=pl.Int64).alias("rank"), pl.lit(0, dtype=pl.Int64).alias("months"),
            pl.lit(0, dtype=pl.Int64).alias("cost"),
        ))  # fmt: skip
    if frames:
        decisions = pl.concat([f.with_columns(pl.col("rank").cast(pl.Int64), pl.col("months").cast(pl.Int64),
                                              pl.col("cost").cast(pl.Int64)) for f in frames])  # fmt: skip
        insert_frame(DECISION, decisions.select(pl.lit(run.pk).alias("run_id"), pl.all()).sort(
            "program_id", "outcome", "rank"))  # fmt: skip
