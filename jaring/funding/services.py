"""Every write of funding: sponsors, programs (each pays through a contributions payer), allocation runs,
donations and legacy funding lists.

An allocation run is set-based (Polars between the database and the rules): it reads the active members
in the programs' regions once, applies each program's conditions, takes out every worker-month another
program already funds, prices the rest with the contribution rules, then hands each worker-month to the
program with the highest precedence, which takes its candidates in priority order while its budget and
quota last. Every decision is written with its reason; funded months become `PayerAssignment` rows, so the
next billing run bills them to the program. Decision: docs/decisions/0007-funding-allocation.md."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jaring.contributions.models import BillLine, Payer, PayerKind
from jaring.contributions.rules import FREQUENCIES, PayerType, payer_type_parse
from jaring.contributions.selectors import due_table
from jaring.contributions.services import payer_assign_frame, payer_create, payer_program_link
from jaring.core.audit import AuditAction, Entity
from jaring.core.bulk import insert_frame, read_frame
from jaring.core.errors import Conflict, ErrorCode, NotFound, PermissionDenied, ValidationFailed
from jaring.core.rules import Permission, Role, region_level_of
from jaring.core.selectors import Viewer
from jaring.core.services import Actor, actor_user, audit_record
from jaring.core.types import Period
from jaring.funding import rules
from jaring.funding.models import (
    Allocation,
    AllocationRun,
    AllocationSource,
    Decision,
    Program,
    ProgramStatus,
    Sponsor,
    SponsorKind,
)
from jaring.funding.rules import Outcome, Priority, Reason
from jaring.funding.selectors import (
    FundedRow,
    plan_month_costs,
    precedence_order,
    program_q,
    program_workers,
    sponsor_q,
)
from jaring.regions.selectors import region_get
from jaring.registry.models import Membership, Worker
from jaring.registry.movers import move_whole, register_mover
from jaring.registry.rules import OCCUPATIONS, Ecosystem

ALLOCATION = Allocation._meta.db_table
DECISION = Decision._meta.db_table
PROGRAM = Program._meta.db_table
WORKER = Worker._meta.db_table
MEMBERSHIP = Membership._meta.db_table
PAYER = Payer._meta.db_table
_REGION_COLUMN = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_code"}


# ------------------------------------------------------------------------------------- sponsors


def sponsor_create(
    *,
    name: str,
    payer_type: str,
    kind: str = SponsorKind.GOVERNMENT,
    region_code: str = "",
    ref: str = "",
    contact: str = "",
    viewer: Viewer,
    actor: Actor,
) -> Sponsor:
    """A sponsor in the viewer's reach: a regency officer registers sponsors of their regency."""
    viewer.require(Permission.MANAGE_FUNDING)
    if viewer.role == Role.SPONSOR:
        raise PermissionDenied("Sponsor tidak mendaftarkan sponsor lain.", code=ErrorCode.FUNDING_NOT_ALLOWED)
    name = name.strip()
    if not name:
        raise ValidationFailed("Nama sponsor wajib diisi.", code=ErrorCode.SPONSOR_NAME_MISSING, field="name")
    ptype = payer_type_parse(payer_type)
    if ptype == PayerType.MANDIRI:
        raise ValidationFailed(
            "Pekerja mandiri bukan sponsor: pilih APBD, APBDes, CSR, donatur, BAZNAS atau APBN.",
            code=ErrorCode.PAYER_TYPE_NOT_SPONSOR, field="payer_type",
        )  # fmt: skip
    if kind not in SponsorKind.values:
        raise ValidationFailed(
            f"Jenis sponsor '{kind}' tidak dikenal: {', '.join(SponsorKind.values)}.",
            code=ErrorCode.SPONSOR_KIND_UNKNOWN, field="kind",
        )  # fmt: skip
    region_code = region_code.strip()
    if region_code:
        if region_get(code=region_code) is None:
            raise ValidationFailed(
                f"Kode wilayah '{region_code}' tidak dikenal.",
                code=ErrorCode.REGION_UNKNOWN,
                field="region_code",
            )
    if not viewer.all_regions and not (region_code and viewer.may_see_region(region_code)):
        if not (viewer.role == Role.BRANCH and not region_code):
            raise PermissionDenied(
                "Wilayah sponsor di luar wilayah kerja Anda.", code=ErrorCode.REGION_NOT_ALLOWED
            )
    ref = ref.strip() or _slug(name)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", ref):
        raise ValidationFailed(
            "Kode sponsor: huruf kecil, angka dan tanda hubung (2-64).",
            code=ErrorCode.SPONSOR_REF_INVALID,
            field="ref",
        )
    with transaction.atomic():
        if Sponsor.objects.filter(ref=ref).exists():
            raise Conflict(
                f"Kode sponsor '{ref}' sudah dipakai.", code=ErrorCode.SPONSOR_REF_TAKEN, field="ref"
            )
        sponsor = Sponsor.objects.create(
            ref=ref, name=name, payer_type=ptype.value, kind=kind, region_code=region_code, contact=contact.strip(),
            created_by=actor_user(actor),
        )  # fmt: skip
        audit_record(
            actor=actor, action=AuditAction.SPONSOR_CREATE, entity_type=Entity.SPONSOR, entity_id=sponsor.pk,
            changes={"ref": ref, "name": name, "payer_type": ptype.value, "region_code": region_code},
        )  # fmt: skip
    return sponsor


def _slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48] or "sponsor"
    ref, n = base, 1
    while Sponsor.objects.filter(ref=ref).exists():
        n += 1
        ref = f"{base}-{n}"
    return ref


# ------------------------------------------------------------------------------------- programs


def _codes(values: Sequence[str], known: set[str], *, label: str, code: str, fld: str) -> list[str]:
    out = sorted({v.strip() for v in values if v.strip()})
    unknown = [v for v in out if v not in known]
    if unknown:
        raise ValidationFailed(
            f"{label} tidak dikenal: {', '.join(unknown)}. Pilih dari: {', '.join(sorted(known))}.",
            code=code, field=fld,
        )  # fmt: skip
    return out


def program_create(
    *,
    sponsor_id: int,
    name: str,
    budget: int,
    first_period: Period,
    months: int,
    jht: bool = False,
    frequency: int = 1,
    region_codes: Sequence[str] = (),
    occupations: Sequence[str] = (),
    ecosystems: Sequence[str] = (),
    age_min: int | None = None,
    age_max: int | None = None,
    decile_max: int | None = None,
    only_uncovered: bool = False,
    priority: str = Priority.POOREST,
    max_workers: int | None = None,
    is_donation: bool = False,
    viewer: Viewer,
    actor: Actor,
) -> Program:
    """A funding program of a sponsor the viewer manages, with its own virtual account (a contributions payer
    of kind program). Regions must lie within the sponsor's region."""
    viewer.require(Permission.MANAGE_FUNDING)
    sponsor = Sponsor.objects.filter(sponsor_q(viewer), pk=sponsor_id).first()
    if sponsor is None:
        raise NotFound("Sponsor tidak ditemukan.", code=ErrorCode.SPONSOR_NOT_FOUND)
    name = name.strip()
    if not name:
        raise ValidationFailed("Nama program wajib diisi.", code=ErrorCode.PROGRAM_NAME_MISSING, field="name")
    if budget <= 0:
        raise ValidationFailed(
            "Anggaran harus lebih dari Rp 0.", code=ErrorCode.BUDGET_INVALID, field="budget"
        )
    if not 1 <= months <= 60:
        raise ValidationFailed("Lama program 1-60 bulan.", code=ErrorCode.MONTHS_INVALID, field="months")
    if frequency not in FREQUENCIES:
        raise ValidationFailed(
            "Frekuensi bayar 1, 3, 6 atau 12 bulan.", code=ErrorCode.FREQUENCY_INVALID, field="frequency"
        )
    for label, value, fld in (("Usia minimum", age_min, "age_min"), ("Usia maksimum", age_max, "age_max")):
        if value is not None and not 0 <= value <= 120:
            raise ValidationFailed(f"{label} harus 0-120.", code=ErrorCode.AGE_INVALID, field=fld)
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValidationFailed(
            "Usia minimum melebihi usia maksimum.", code=ErrorCode.AGE_RANGE_INVALID, field="age_min"
        )
    if decile_max is not None and not 1 <= decile_max <= 10:
        raise ValidationFailed("Desil maksimum 1-10.", code=ErrorCode.DECILE_INVALID, field="decile_max")
    if max_workers is not None and max_workers < 1:
        raise ValidationFailed(
            "Kuota pekerja minimal 1.", code=ErrorCode.MAX_WORKERS_INVALID, field="max_workers"
        )
    if priority not in Priority._value2member_map_:
        raise ValidationFailed(
            f"Urutan prioritas '{priority}' tidak dikenal: poorest atau earliest.",
            code=ErrorCode.PRIORITY_UNKNOWN, field="priority",
        )  # fmt: skip
    regions = sorted({c.strip() for c in region_codes if c.strip()})
    for code in regions:
        if region_get(code=code) is None:
            raise ValidationFailed(
                f"Kode wilayah '{code}' tidak dikenal.", code=ErrorCode.REGION_UNKNOWN, field="region_codes"
            )
        if sponsor.region_code and not (
            code == sponsor.region_code or code.startswith(sponsor.region_code + ".")
        ):
            raise ValidationFailed(
                f"Wilayah {code} di luar wilayah sponsor {sponsor.region_code}.",
                code=ErrorCode.REGION_OUTSIDE_SPONSOR, field="region_codes",
            )  # fmt: skip
    if not regions and sponsor.region_code:
        regions = [sponsor.region_code]
    occ = _codes(occupations, {o.code for o in OCCUPATIONS}, label="Pekerjaan", code=ErrorCode.OCCUPATION_UNKNOWN,
                 fld="occupations")  # fmt: skip
    eco = _codes(ecosystems, {e.value for e in Ecosystem}, label="Ekosistem", code=ErrorCode.ECOSYSTEM_UNKNOWN,
                 fld="ecosystems")  # fmt: skip
    with transaction.atomic():
        program = Program(
            sponsor=sponsor, name=name, payer_type=sponsor.payer_type, budget=budget, first_period=str(first_period),
            months=months, jht=jht, frequency=frequency, region_codes=",".join(regions), occupations=",".join(occ),
            ecosystems=",".join(eco), age_min=age_min, age_max=age_max, decile_max=decile_max,
            only_uncovered=only_uncovered, priority=str(priority), max_workers=max_workers, is_donation=is_donation,
            created_by=actor_user(actor),
        )  # fmt: skip
        program.payer = payer_create(
            kind=PayerKind.PROGRAM, payer_type=PayerType(sponsor.payer_type), name=f"{sponsor.name} - {name}"[:200],
            frequency=frequency, jht=jht, sponsor_ref=sponsor.ref, region_code=sponsor.region_code,
            program_ref=f"funding:new:{sponsor.pk}:{time.monotonic_ns()}", actor=actor,
        )  # fmt: skip
        program.save()
        payer_program_link(payer_id=program.payer_id, program_ref=f"funding:{program.pk}")
        audit_record(
            actor=actor, action=AuditAction.PROGRAM_CREATE, entity_type=Entity.PROGRAM, entity_id=program.pk,
            changes={"sponsor": sponsor.ref, "name": name, "budget": budget, "first_period": str(first_period),
                     "months": months, "regions": regions, "occupations": occ, "ecosystems": eco,
                     "age_min": age_min, "age_max": age_max, "decile_max": decile_max,
                     "only_uncovered": only_uncovered, "priority": str(priority), "max_workers": max_workers},
        )  # fmt: skip
    return program


def program_budget_change(*, program_id: int, budget: int, viewer: Viewer, actor: Actor) -> Program:
    """A budget revision (APBD-P): never below what is already committed."""
    viewer.require(Permission.MANAGE_FUNDING)
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(program_q(viewer), pk=program_id).first()
        if program is None:
            raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
        if budget < program.committed:
            raise ValidationFailed(
                f"Anggaran baru Rp {budget:,} lebih kecil dari yang sudah terikat Rp {program.committed:,}.",
                code=ErrorCode.BUDGET_BELOW_COMMITTED, field="budget",
            )  # fmt: skip
        before = program.budget
        program.budget = budget
        program.save(update_fields=["budget"])
        audit_record(actor=actor, action=AuditAction.PROGRAM_BUDGET_CHANGE, entity_type=Entity.PROGRAM, entity_id=program.pk,
                     changes={"budget": [before, budget]})  # fmt: skip
    return program


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
) -> AllocationResult:
    """Allocate the given active programs (None: every active program the viewer manages) together. A dry run
    computes everything and keeps nothing. A re-run with nothing changed funds nobody new."""
    viewer.require(Permission.MANAGE_FUNDING)
    started = time.perf_counter()
    phases: dict[str, float] = {}
    with transaction.atomic():
        query = Program.objects.filter(program_q(viewer), status=ProgramStatus.ACTIVE)
        if program_ids is not None:
            wanted = set(program_ids)
            query = query.filter(pk__in=wanted)
        programs = list(query.select_for_update().order_by("pk"))
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
        if dry_run:
            transaction.set_rollback(True)
    return AllocationResult(None if dry_run else run.pk, dry_run, outcomes, seconds, phases)


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
        f"CASE WHEN EXISTS (SELECT 1 FROM {MEMBERSHIP} m WHERE m.worker_id = w.id AND m.status = 'active') THEN 'active' "
        f"WHEN EXISTS (SELECT 1 FROM {MEMBERSHIP} m WHERE m.worker_id = w.id) THEN 'ended' ELSE 'none' END "
        f"FROM {WORKER} w WHERE w.merged_into_id IS NULL{where}",
        params,
        {"worker_id": pl.Int64, "village_code": pl.String, "district_code": pl.String, "regency_code": pl.String,
         "province_code": pl.String, "occupation": pl.String, "ecosystem": pl.String, "birth": pl.String,
         "decile": pl.Int64, "sector": pl.String, "income": pl.Int64, "membership": pl.String},
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


def exclusion_frame(pairs: pl.DataFrame) -> pl.DataFrame:
    """The vectorised `rules.exclusion_reason`: `pairs` carries the worker's and the program's columns; adds
    `reason` (null: eligible). Its tests compare it with the pure rule."""
    age = (
        pl.col("first_year") - pl.col("birth_year")
        - ((pl.col("first_month") < pl.col("birth_month"))
           | ((pl.col("first_month") == pl.col("birth_month")) & (pl.col("birth_day") > 1))).cast(pl.Int32)
    )  # fmt: skip
    age_rule = pl.col("age_min").is_not_null() | pl.col("age_max").is_not_null()
    return pairs.with_columns(
        pl.when((pl.col("occupations").list.len() > 0) & ~pl.col("occupations").list.contains(pl.col("occupation")))
        .then(pl.lit(Reason.OCCUPATION.value))
        .when((pl.col("ecosystems").list.len() > 0) & ~pl.col("ecosystems").list.contains(pl.col("ecosystem")))
        .then(pl.lit(Reason.ECOSYSTEM.value))
        .when(age_rule & pl.col("birth_year").is_null())
        .then(pl.lit(Reason.BIRTH_DATE_UNKNOWN.value))
        .when(age_rule & ((age < pl.col("age_min")).fill_null(False) | (age > pl.col("age_max")).fill_null(False)))
        .then(pl.lit(Reason.AGE.value))
        .when(pl.col("decile_max").is_not_null() & pl.col("decile").is_null())
        .then(pl.lit(Reason.DECILE_UNKNOWN.value))
        .when((pl.col("decile") > pl.col("decile_max")).fill_null(False))
        .then(pl.lit(Reason.DECILE.value))
        .when(pl.col("only_uncovered") & pl.col("pays_own_way"))
        .then(pl.lit(Reason.ALREADY_COVERED.value))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("reason")
    )  # fmt: skip


def _pays_own_way(pairs: pl.DataFrame, progs: pl.DataFrame) -> pl.DataFrame:
    """(program_id, worker_id) of workers who paid a month themselves or through an agent in the 3 months
    before the program starts, for programs that fund only the not yet covered."""
    wanted = progs.filter(pl.col("only_uncovered"))
    empty = pl.DataFrame(schema={"program_id": pl.Int64, "worker_id": pl.Int64})
    if wanted.is_empty():
        return empty
    lo = _period_at(int(wanted.get_column("first_idx").min()) - rules.COVERED_LOOKBACK_MONTHS)  # type: ignore[arg-type]  # min() of a non-empty Int64 column is an int
    hi = _period_at(int(wanted.get_column("first_idx").max()) - 1)  # type: ignore[arg-type]  # as above
    paid = read_frame(
        f"SELECT l.worker_id, l.period FROM {BillLine._meta.db_table} l JOIN {PAYER} p ON p.id = l.payer_id "
        f"WHERE l.status = 'paid' AND l.period >= %s AND l.period <= %s AND p.kind IN ('worker', 'agent')",
        [str(lo), str(hi)],
        {"worker_id": pl.Int64, "period": pl.String},
    )
    if paid.is_empty():
        return empty
    paid = paid.with_columns(_month_index("period").alias("idx"))
    return (
        pairs.join(wanted.select("program_id", "first_idx"), on="program_id")
        .join(paid.select("worker_id", "idx"), on="worker_id")
        .filter((pl.col("idx") < pl.col("first_idx")) & (pl.col("idx") >= pl.col("first_idx") - rules.COVERED_LOOKBACK_MONTHS))
        .select("program_id", "worker_id")
        .unique()
    )  # fmt: skip


MASK_MONTHS = 62  # a run's months are bits of one Int64: programs spanning more are allocated in turns


def _mask(first: int, last: int, lo: int) -> int:
    """Months first..last (Period indexes) as bits, bit 0 = month `lo`."""
    return ((1 << (last - first + 1)) - 1) << (first - lo)


def _bits(mask: int, lo: int) -> list[int]:
    out, i = [], 0
    while mask:
        if mask & 1:
            out.append(lo + i)
        mask >>= 1
        i += 1
    return out


def _windows(programs: Sequence[Program]) -> list[list[Program]]:
    """Programs grouped so that each group's months fit one mask (almost always: one group)."""
    groups: list[list[Program]] = []
    lo = 0
    for p in sorted(programs, key=lambda p: (p.first_period, p.pk)):
        first = Period.parse(p.first_period).index
        if not groups or first + p.months - 1 - lo >= MASK_MONTHS:
            groups.append([])
            lo = first
        groups[-1].append(p)
    return groups


def _taken(worker_ids: pl.Series, lo: int, hi: int) -> pl.DataFrame:
    """Months in [lo, hi] some program already funds, per worker and program: (worker_id, by_program, held)."""
    frame = read_frame(
        f"SELECT worker_id, program_id, first_period, last_period FROM {ALLOCATION} "
        f"WHERE last_period >= %s AND first_period <= %s",
        [str(_period_at(lo)), str(_period_at(hi))],
        {"worker_id": pl.Int64, "by_program": pl.Int64, "first": pl.String, "last": pl.String},
    ).join(worker_ids.to_frame("worker_id").unique(), on="worker_id", how="semi")
    spans = frame.select("first", "last").unique()
    masks = {
        (f, t): _mask(max(Period.parse(f).index, lo), min(Period.parse(t).index, hi), lo)
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


def _month_index(col: str) -> pl.Expr:
    """`YYYY-MM` text as Period.index."""
    return pl.col(col).str.slice(0, 4).cast(pl.Int64) * 12 + pl.col(col).str.slice(5, 2).cast(pl.Int64) - 1


def _period_at(index: int) -> Period:
    return Period(index // 12, index % 12 + 1)


def _period_str(col: str) -> pl.Expr:
    return (
        (pl.col(col) // 12).cast(pl.String).str.zfill(4)
        + "-"
        + (pl.col(col) % 12 + 1).cast(pl.String).str.zfill(2)
    )


PRICE_KEYS = ["income", "sector", "payer_type", "jht"]


class _Prices:
    """Each worker-month priced by the contribution rules: every distinct (income, sector, payer type, JHT)
    priced once per month of the window, a mask's cost summed from those."""

    def __init__(self, combos: pl.DataFrame, lo: int, hi: int) -> None:
        self.lo = lo
        months = pl.DataFrame({"period": [str(_period_at(m)) for m in range(lo, hi + 1)]})
        table = (
            due_table(combos.select(PRICE_KEYS).unique().join(months, how="cross")) if combos.height else None
        )
        self.by = {} if table is None else {
            (i, s, t, j, Period.parse(p).index): a
            for i, s, t, j, p, a in table.select(*PRICE_KEYS, "period", "amount").iter_rows()
        }  # fmt: skip

    def runs(self, frame: pl.DataFrame, col: str) -> pl.DataFrame:
        """For each distinct (price keys, mask) in `frame`: its runs of consecutive months with their cost, as
        lists (first, last, months, cost), and the mask's total cost and months."""
        rows = []
        for i, s, t, j, mask in frame.select(*PRICE_KEYS, col).unique().iter_rows():
            runs = rules.month_runs(_bits(mask, self.lo))
            costs = [sum(self.by[(i, s, t, j, m)] for m in range(a, b + 1)) for a, b in runs]
            rows.append((i, s, t, j, mask, [a for a, _ in runs], [b for _, b in runs],
                         [b - a + 1 for a, b in runs], costs, sum(costs), sum(b - a + 1 for a, b in runs)))  # fmt: skip
        return pl.DataFrame(
            rows,
            schema={"income": pl.Int64, "sector": pl.String, "payer_type": pl.String, "jht": pl.Boolean,
                    col: pl.Int64, "run_first": pl.List(pl.Int64), "run_last": pl.List(pl.Int64),
                    "run_months": pl.List(pl.Int64), "run_cost": pl.List(pl.Int64), "cost": pl.Int64,
                    "months": pl.Int64},
            orient="row",
        )  # fmt: skip


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
        pl.struct("first_idx", "last_idx").map_elements(lambda r: _mask(r["first_idx"], r["last_idx"], lo),
                                                        return_dtype=pl.Int64).alias("want")
    )  # fmt: skip
    workers = _workers(programs)
    lap("read")
    tick = time.perf_counter()
    pairs = _pairs(programs, workers)
    for pid, n in pairs.group_by("program_id").len().iter_rows():
        outcomes[pid].region_workers += n
    # Only an active member can be funded: the others of the program's regions are excluded, saying why.
    not_members = workers.filter(pl.col("membership") != "active").select(
        "worker_id",
        pl.when(pl.col("membership") == "ended").then(pl.lit(Reason.MEMBERSHIP_ENDED.value))
        .otherwise(pl.lit(Reason.NO_MEMBERSHIP.value)).alias("reason"),
    )  # fmt: skip
    unfundable = pairs.join(not_members, on="worker_id").select("program_id", "worker_id", "reason")
    pairs = pairs.join(not_members, on="worker_id", how="anti")
    workers = workers.filter(pl.col("membership") == "active")
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
    checked = exclusion_frame(checked)
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
            "want", *PRICE_KEYS,
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
    prices = _Prices(claims, lo, hi)
    lap("months")

    tick = time.perf_counter()
    budget = dict(zip(progs["program_id"].to_list(), progs["budget_left"].to_list(), strict=True))
    quota = dict(zip(progs["program_id"].to_list(), progs["max_left"].to_list(), strict=True))
    offset = dict.fromkeys(budget, 0)
    won_parts, wait_parts = [], []
    while claims.height:
        # Each worker goes first to the program of highest precedence (then the older program) among those still
        # wanting some of their months; it takes the months still free. Each program takes its candidates in
        # priority order while budget and quota last; what it leaves goes to the next program in later rounds.
        top = claims.filter(pl.col("key") == pl.col("key").min().over("worker_id"))
        costs = prices.runs(top, "free")
        per = (
            top.join(costs.select(*PRICE_KEYS, "free", "cost", "months"), on=[*PRICE_KEYS, "free"])
            .sort("program_id", "p1", "worker_id")
            .with_columns(pl.col("cost").cum_sum().over("program_id").alias("cum"),
                          (pl.int_range(pl.len()).over("program_id") + 1).alias("n"))
            .with_columns(pl.col("program_id").replace_strict(budget, return_dtype=pl.Int64).alias("left"),
                          pl.col("program_id").replace_strict(quota, return_dtype=pl.Int64, default=None).alias("quota"),
                          pl.col("program_id").replace_strict(offset, return_dtype=pl.Int64).alias("offset"))
            .with_columns(
                pl.when(pl.col("quota").is_not_null() & (pl.col("n") > pl.col("quota")))
                .then(pl.lit(Reason.MAX_WORKERS.value))
                .when(pl.col("cum") > pl.col("left")).then(pl.lit(Reason.BUDGET.value))
                .otherwise(pl.lit(None, dtype=pl.String)).alias("reason"),
                (pl.col("n") + pl.col("offset")).alias("rank"),
            )
        )  # fmt: skip
        won = per.filter(pl.col("reason").is_null())
        won_parts.append(won.select("program_id", "worker_id", "free", *PRICE_KEYS, "rank", "cost", "months"))
        wait_parts.append(per.filter(pl.col("reason").is_not_null()).select(
            "program_id", "worker_id", "reason", "rank", "months", "cost"))  # fmt: skip
        for pid, cost, n in won.group_by("program_id").agg(pl.col("cost").sum(), pl.len()).iter_rows():
            budget[pid] -= cost
            if quota[pid] is not None:
                quota[pid] -= n
        for pid, n in per.group_by("program_id").len().iter_rows():
            offset[pid] += n
        claims = (
            claims.join(top.select("program_id", "worker_id"), on=["program_id", "worker_id"], how="anti")
            .join(won.select("worker_id", pl.col("free").alias("got")), on="worker_id", how="left")
            .with_columns((pl.col("free") & ~pl.col("got").fill_null(0)).alias("free"))
            .drop("got")
        )  # fmt: skip
        gone = claims.filter(pl.col("free") == 0)
        if gone.height:
            _count(
                outcomes,
                gone.select("program_id", "worker_id", pl.lit(Reason.FUNDED_ELSEWHERE.value).alias("reason")),
            )
            claims = claims.filter(pl.col("free") != 0)
    lap("assign")

    tick = time.perf_counter()
    won_all = pl.concat(won_parts) if won_parts else None
    waits = pl.concat(wait_parts) if wait_parts else None
    if waits is not None and won_all is not None:
        # A worker one program could not fund and another did is, for the first, funded elsewhere: its waiting
        # list keeps only the people still waiting.
        funded = won_all.select("worker_id").unique()
        _count(outcomes, waits.join(funded, on="worker_id", how="semi").with_columns(
            pl.lit(Reason.FUNDED_ELSEWHERE.value).alias("reason")))  # fmt: skip
        waits = waits.join(funded, on="worker_id", how="anti")
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
    excluded: pl.DataFrame, prices: _Prices, actor: Actor,
) -> None:  # fmt: skip
    """Allocations (one per run of consecutive months) and the billing run's payer assignments; decisions for
    the workers funded, waiting and excluded by a condition. Workers whose months other programs fund are
    counted, not listed: the allocations themselves say who funds them."""
    frames = []
    if won is not None and won.height:
        runs = (
            won.join(prices.runs(won, "free").drop("cost", "months"), on=[*PRICE_KEYS, "free"])
            .select("program_id", "worker_id", "rank", "run_first", "run_last", "run_months", "run_cost")
            .explode("run_first", "run_last", "run_months", "run_cost")
            .sort("program_id", "rank", "run_first")
            .with_columns(_period_str("run_first").alias("first_period"), _period_str("run_last").alias("last_period"))
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


def _programs_refresh(program_ids: Sequence[int]) -> None:
    """A program's committed money and funded workers, from its allocations."""
    if not program_ids:
        return
    marks = ", ".join(["%s"] * len(program_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PROGRAM} SET committed = COALESCE((SELECT SUM(a.cost) FROM {ALLOCATION} a "
            f"WHERE a.program_id = {PROGRAM}.id), 0), funded_workers = COALESCE((SELECT COUNT(DISTINCT a.worker_id) "
            f"FROM {ALLOCATION} a WHERE a.program_id = {PROGRAM}.id), 0) WHERE id IN ({marks})",
            list(program_ids),
        )


# ------------------------------------------------------------------------------------- legacy and donations


def allocation_record_legacy(
    *,
    program_id: int,
    worker_ids: Sequence[int],
    first_period: Period,
    last_period: Period,
    viewer: Viewer,
    actor: Actor,
) -> int:
    """Funding that was decided before Jaring (a regency's Excel list): recorded as it was, overlaps included,
    so that the overlap report can show them. The months are billed to this program from now on only where no
    newer assignment says otherwise."""
    viewer.require(Permission.MANAGE_FUNDING)
    if last_period < first_period:
        raise ValidationFailed(
            "Bulan akhir harus sesudah bulan awal.", code=ErrorCode.PERIOD_RANGE_INVALID, field="last_period"
        )
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(program_q(viewer), pk=program_id).first()
        if program is None:
            raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
        ids = sorted(set(worker_ids))
        months = last_period.index - first_period.index + 1
        frame = pl.DataFrame({"worker_id": ids}, schema={"worker_id": pl.Int64}).join(
            read_frame(f"SELECT id, income_tier, sector FROM {WORKER} WHERE id IN ({', '.join(['%s'] * len(ids)) or 'NULL'})",
                       ids, {"worker_id": pl.Int64, "income": pl.Int64, "sector": pl.String}), on="worker_id")  # fmt: skip
        if frame.height != len(ids):
            raise NotFound("Sebagian pekerja tidak ditemukan.", code=ErrorCode.WORKER_NOT_FOUND)
        combos = (
            frame.select("income", "sector")
            .unique()
            .join(pl.DataFrame({"period": [str(first_period.plus(i)) for i in range(months)]}), how="cross")
            .with_columns(pl.lit(program.payer_type).alias("payer_type"), pl.lit(program.jht).alias("jht"))
        )
        prices = due_table(combos.select("income", "sector", "payer_type", "jht", "period"))
        per_worker = prices.group_by("income", "sector").agg(pl.col("amount").sum().alias("cost"))
        rows = frame.join(per_worker, on=["income", "sector"]).select(
            pl.lit(program.pk).alias("program_id"), "worker_id", pl.lit(None, dtype=pl.Int64).alias("run_id"),
            pl.lit(str(first_period)).alias("first_period"), pl.lit(str(last_period)).alias("last_period"),
            pl.lit(months).alias("months"), "cost", pl.lit(AllocationSource.LEGACY.value).alias("source"),
            pl.lit(None, dtype=pl.Int64).alias("rank"),
        )  # fmt: skip
        if int(rows.get_column("cost").sum()) + program.committed > program.budget:
            raise ValidationFailed(
                "Daftar lama melebihi anggaran program: naikkan anggaran dulu.",
                code=ErrorCode.BUDGET_EXCEEDED,
                field="budget",
            )
        count = insert_frame(ALLOCATION, rows)
        payer_assign_frame(
            frame=rows.select(
                "worker_id", pl.lit(program.payer_id).alias("payer_id"), "first_period", "last_period"
            ),
            actor=actor,
        )
        _programs_refresh([program.pk])
        audit_record(actor=actor, action=AuditAction.ALLOCATION_LEGACY, entity_type=Entity.PROGRAM, entity_id=program.pk,
                     changes={"workers": count, "first_period": str(first_period), "last_period": str(last_period)})  # fmt: skip
    return count


@dataclass
class Donation:
    program: Program
    result: AllocationResult
    people: list[FundedRow]  # the first 200, names for the donor to see (NIK masked)


def donation_create(
    *,
    workers: int,
    months: int,
    viewer: Viewer,
    actor: Actor,
    region_code: str = "",
    occupation: str = "",
    ecosystem: str = "",
    donor_name: str = "",
    first_period: Period | None = None,
    today: dt.date | None = None,
    dry_run: bool = False,
) -> Donation:
    """A donor funds up to `workers` of the neediest not yet covered workers in a village (or district,
    regency, anywhere), of an occupation or ecosystem, for 6 or 12 months paid at once. A sponsor user gives
    as their own sponsor; branch staff record a walk-in donor by name. The donor pays exactly what the funded
    workers cost: the program's budget is what was committed. A dry run shows whom and what, keeps nothing."""
    viewer.require(Permission.MANAGE_FUNDING)
    if months not in rules.DONATION_MONTHS:
        raise ValidationFailed("Donasi untuk 6 atau 12 bulan.", code=ErrorCode.MONTHS_INVALID, field="months")
    if not 1 <= workers <= 100_000:
        raise ValidationFailed("Jumlah pekerja 1-100.000.", code=ErrorCode.WORKERS_INVALID, field="workers")
    today = today or timezone.localdate()
    start = first_period or Period.of(today).plus(1)
    with transaction.atomic():
        if viewer.role == Role.SPONSOR:
            sponsor = Sponsor.objects.filter(ref=viewer.sponsor_ref).first()
            if sponsor is None:
                raise NotFound("Akun Anda belum terhubung ke sponsor.", code=ErrorCode.SPONSOR_NOT_FOUND)
        else:
            if not donor_name.strip():
                raise ValidationFailed(
                    "Nama donatur wajib diisi.", code=ErrorCode.DONOR_NAME_MISSING, field="donor_name"
                )
            # A walk-in donor: national for the branch office, the officer's own region otherwise.
            home = "" if viewer.all_regions or viewer.role == Role.BRANCH else viewer.region_codes[0]
            sponsor = sponsor_create(name=donor_name, payer_type=PayerType.DONOR.value, kind=SponsorKind.PERSON,
                                     region_code=home, viewer=viewer, actor=actor)  # fmt: skip
        ptype = PayerType(sponsor.payer_type)
        # The budget only bounds the allocation (the quota decides); it is then cut to what the workers cost.
        cost = sum(plan_month_costs(payer_type=ptype, first_period=start, months=months,
                                    income=settings.JARING["INCOME_MAX"]))  # fmt: skip
        program = program_create(
            sponsor_id=sponsor.pk, name=f"Donasi {today:%d-%m-%Y} ({workers} pekerja, {months} bulan)",
            budget=cost * workers, first_period=start, months=months, frequency=months,
            region_codes=[region_code] if region_code else [], occupations=[occupation] if occupation else [],
            ecosystems=[ecosystem] if ecosystem else [], only_uncovered=True, max_workers=workers,
            is_donation=True, viewer=_sponsor_view(viewer, sponsor), actor=actor,
        )  # fmt: skip
        result = allocation_run(program_ids=[program.pk], viewer=_sponsor_view(viewer, sponsor), actor=actor)
        program.refresh_from_db()
        if program.funded_workers == 0:
            raise ValidationFailed(
                "Tidak ada pekerja yang memenuhi pilihan ini dan belum terlindungi: perluas wilayah atau pekerjaan.",
                code=ErrorCode.NO_ELIGIBLE_WORKERS,
            )
        Program.objects.filter(pk=program.pk).update(budget=program.committed)
        program.refresh_from_db()
        audit_record(actor=actor, action=AuditAction.DONATION_CREATE, entity_type=Entity.PROGRAM, entity_id=program.pk,
                     changes={"sponsor": sponsor.ref, "workers": program.funded_workers, "months": months,
                              "amount": program.committed})  # fmt: skip
        people = program_workers(viewer=_sponsor_view(viewer, sponsor), program_id=program.pk, limit=200)
        if dry_run:
            transaction.set_rollback(True)
    return Donation(program=program, result=result, people=people)


def _sponsor_view(viewer: Viewer, sponsor: Sponsor) -> Viewer:
    """The donation acts for its donor: the program belongs to the donor, whoever typed it in."""
    return Viewer(
        user_id=viewer.user_id, username=viewer.username, role=Role.SPONSOR, sponsor_ref=sponsor.ref
    )


def program_close(*, program_id: int, viewer: Viewer, actor: Actor) -> Program:
    """No new allocations; funded months stay funded."""
    viewer.require(Permission.MANAGE_FUNDING)
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(program_q(viewer), pk=program_id).first()
        if program is None:
            raise NotFound("Program tidak ditemukan.", code=ErrorCode.PROGRAM_NOT_FOUND)
        program.status = ProgramStatus.CLOSED
        program.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditAction.PROGRAM_CLOSE,
            entity_type=Entity.PROGRAM,
            entity_id=program.pk,
            changes={},
        )
    return program


def movers_register() -> None:
    """A merged worker's allocations follow the survivor (called from FundingConfig.ready)."""
    move, undo = move_whole(Allocation, "allocation")
    register_mover("allocation", move=move, undo=undo)
