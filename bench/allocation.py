"""Benchmark: allocating N eligible workers across 500 funding programs in one run, against the row-by-row way
on a sample in the same run (the baseline).

    .venv/bin/python bench/allocation.py                      # SQLite, 1,000,000 workers, 500 programs
    .venv/bin/python bench/allocation.py --db postgres        # PostgreSQL (database jaring_bench_allocation)
    .venv/bin/python bench/allocation.py --workers 20000      # a quick look

Each run starts from a fresh database: regions, N workers with cards in Banten's villages (occupations and
DTSEN deciles varied), then 500 programs that compete for them, as in a real province: 8 regency/city APBD
programs (budget for about 60 % of their workers), 1 provincial APBD program (budget for 5 %), 391 village
Dana Desa programs ("1 Desa 100 Pekerja Rentan": 100 workers each), 80 CSR programs per district for fishers
and traders, 20 donor programs for the not yet covered in a regency (500 workers each); all from 2027-01 for 12
months. One `allocation_run` over all of them; then the same again (must add nothing). Figures are printed and
appended to bench/results.jsonl with the machine they ran on."""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from ledger import OUT, _database, _machine, _registry  # noqa: E402  (the ledger bench's helpers)

OCCUPATIONS = ["petani", "nelayan", "pedagang_pasar", "pedagang_kaki_lima", "buruh_harian_lepas"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000, help="workers allocated the row-by-row way")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _database(args.db, "allocation")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    os.environ["JARING_VAR_DIR"] = str(OUT / "var")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from jaring.regions.services import regions_load

    regions_load(actor=None)
    result: dict[str, object] = {"db": args.db, "workers": args.workers}
    t = time.perf_counter()
    _registry(args.workers)
    _vary()
    result["setup_registry_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    programs = _programs(args.workers)
    result["programs"] = programs
    result["setup_programs_s"] = round(time.perf_counter() - t, 1)
    result.update(_bench(args.sample))
    result["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    print(json.dumps(result, indent=1))
    with (HERE / "results.jsonl").open("a") as fh:
        fh.write(json.dumps({"bench": "allocation", "machine": _machine(), "results": result}) + "\n")


def _vary() -> None:
    """Occupations, sectors and DTSEN deciles that differ from worker to worker (deterministic)."""
    from django.db import connection, transaction

    from jaring.registry.models import Worker

    table = Worker._meta.db_table
    cases = " ".join(f"WHEN {i} THEN '{o}'" for i, o in enumerate(OCCUPATIONS))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET occupation = CASE (id * 7) % {len(OCCUPATIONS)} {cases} END, "
            f"poverty_decile = CASE WHEN id % 5 = 0 THEN NULL ELSE (id * 13) % 10 + 1 END"
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")


def _programs(workers: int) -> dict[str, int]:
    from django.db.models import Count

    from jaring.contributions.rules import PayerType
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period
    from jaring.funding.selectors import plan_month_costs
    from jaring.funding.services import program_create, sponsor_create
    from jaring.registry.models import Worker

    first = Period(2027, 1)

    def year(payer_type: PayerType) -> int:
        return sum(plan_month_costs(payer_type=payer_type, first_period=first, months=12))

    def program(name: str, payer_type: PayerType, region: str, budget: int, **kw: object) -> None:
        sponsor = sponsor_create(
            name=name, payer_type=payer_type.value, region_code=region, viewer=SYSTEM, actor=None
        )
        program_create(sponsor_id=sponsor.pk, name=name, budget=budget, first_period=first, months=12, viewer=SYSTEM,
                       actor=None, **kw)  # type: ignore[arg-type]  # bench helper  # fmt: skip

    counts: dict[str, int] = {}
    regencies = list(Worker.objects.values("regency_code").annotate(n=Count("id")).order_by("regency_code"))
    for r in regencies[:8]:
        program(f"APBD {r['regency_code']}", PayerType.APBD_KABKOTA, r["regency_code"],
                int(r["n"] * 0.6) * year(PayerType.APBD_KABKOTA))  # fmt: skip
    counts["apbd_kabkota"] = min(8, len(regencies))
    program(
        "APBD Provinsi Banten",
        PayerType.APBD_PROVINSI,
        "36",
        int(workers * 0.05) * year(PayerType.APBD_PROVINSI),
    )
    counts["apbd_provinsi"] = 1
    villages = list(
        Worker.objects.values("village_id").annotate(n=Count("id")).order_by("-n", "village_id")
        .values_list("village_id", flat=True)[:391]
    )  # fmt: skip
    for code in villages:
        program(f"Dana Desa {code}", PayerType.APBDES, code, 110 * year(PayerType.APBDES), max_workers=100)
    counts["apbdes"] = len(villages)
    districts = list(
        Worker.objects.values("district_code").annotate(n=Count("id")).order_by("-n", "district_code")
        .values_list("district_code", flat=True)[:80]
    )  # fmt: skip
    for code in districts:
        program(f"CSR {code}", PayerType.CSR, "", 300 * year(PayerType.CSR), region_codes=[code],
                occupations=["nelayan", "pedagang_pasar", "pedagang_kaki_lima"])  # fmt: skip
    counts["csr"] = len(districts)
    for i in range(20):
        program(f"Donatur {i + 1}", PayerType.DONOR, "", 500 * year(PayerType.DONOR), max_workers=500,
                only_uncovered=True, region_codes=[regencies[i % len(regencies)]["regency_code"]])  # fmt: skip
    counts["donor"] = 20
    return counts


def _bench(sample: int) -> dict[str, object]:
    from django.db import transaction

    from jaring.core.selectors import SYSTEM
    from jaring.funding.services import allocation_run

    t = time.perf_counter()
    first = allocation_run(program_ids=None, viewer=SYSTEM, actor=None)
    run_s = time.perf_counter() - t
    totals = first.totals()
    print(f"allocation: {len(first.programs)} programs, {totals['assigned']:,} workers funded "
          f"({totals['assigned_months']:,} worker-months), {totals['waitlisted']:,} waiting, "
          f"{totals['excluded']:,} excluded in {run_s:.1f} s {first.phases}, {run_s - first.seconds:.1f} s commit")  # fmt: skip
    t = time.perf_counter()
    again = allocation_run(program_ids=None, viewer=SYSTEM, actor=None)
    rerun_s = time.perf_counter() - t
    print(f"re-run: {rerun_s:.1f} s, {again.totals()['assigned']} funded")
    considered = totals["assigned"] + totals["waitlisted"] + totals["excluded"]
    with transaction.atomic():
        per_worker = _row_by_row(sample)
        transaction.set_rollback(True)
    baseline_s = per_worker * considered
    print(f"row-by-row baseline: {per_worker * 1e6:.0f} µs per decision -> {baseline_s:.0f} s for {considered:,}; "
          f"ratio {baseline_s / run_s:.1f}x")  # fmt: skip
    return {"assigned": totals["assigned"], "assigned_months": totals["assigned_months"],
            "waitlisted": totals["waitlisted"], "excluded": totals["excluded"], "decisions": considered,
            "excluded_reasons": totals["excluded_reasons"], "waitlist_reasons": totals["waitlist_reasons"],
            "allocate_s": round(run_s, 1), "phases": {**first.phases, "commit": round(run_s - first.seconds, 1)}, "rerun_s": round(rerun_s, 1),
            "rerun_assigned": again.totals()["assigned"], "row_by_row_us_per_decision": round(per_worker * 1e6),
            "ratio": round(baseline_s / run_s, 1)}  # fmt: skip


def _row_by_row(sample: int) -> float:
    """The obvious way, for one new program over `sample` workers: per worker read it, check the conditions,
    ask whether another program funds any of its months, price each month with the rules, save the
    allocation, the payer assignment and the decision."""
    from django.utils import timezone

    from jaring.contributions import rules as crules
    from jaring.contributions.models import PayerAssignment
    from jaring.contributions.rules import PayerType
    from jaring.contributions.selectors import discount_excluded, discount_rows, rate_rows, tier_rows
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period
    from jaring.funding import rules
    from jaring.funding.models import Allocation, AllocationRun, Decision
    from jaring.funding.services import program_create, sponsor_create
    from jaring.registry.models import Worker

    sponsor = sponsor_create(name="Baseline", payer_type="csr", viewer=SYSTEM, actor=None)
    program = program_create(sponsor_id=sponsor.pk, name="Baseline", budget=10**12, first_period=Period(2028, 1),
                             months=12, viewer=SYSTEM, actor=None)  # fmt: skip
    rates, tiers, discounts = rate_rows(), tier_rows(), discount_rows()
    excluded = discount_excluded(PayerType.CSR)
    conditions = rules.Eligibility(occupations=frozenset({"petani", "nelayan"}))
    run = AllocationRun.objects.create(program=program, started_at=timezone.now())
    ids = list(Worker.objects.order_by("id").values_list("id", flat=True)[:sample])
    first = Period(2028, 1)
    t = time.perf_counter()
    for wid in ids:
        w = Worker.objects.get(pk=wid)
        reason = rules.exclusion_reason(
            rules=conditions, first_period=first,
            worker=rules.Candidate(w.occupation, w.ecosystem, w.birth_date, w.poverty_decile),
        )  # fmt: skip
        if (
            reason is None
            and Allocation.objects.filter(
                worker_id=wid, first_period__lte="2028-12", last_period__gte="2028-01"
            ).exists()
        ):
            reason = rules.Reason.FUNDED_ELSEWHERE
        if reason is not None:
            Decision.objects.create(
                run=run, program=program, worker_id=wid, outcome="excluded", reason=reason.value
            )
            continue
        cost = sum(
            crules.contribution_due(income=w.income_tier, period=first.plus(i), payer_type=PayerType.CSR,
                                    sector=w.sector, jht=False, rates=rates, tiers=tiers, discounts=discounts,
                                    discount_excluded=excluded).total
            for i in range(12)
        )  # fmt: skip
        Allocation.objects.create(program=program, worker_id=wid, run=run, first_period="2028-01",
                                  last_period="2028-12", months=12, cost=cost)  # fmt: skip
        PayerAssignment.objects.create(worker_id=wid, payer_id=program.payer_id, first_period="2028-01",
                                       last_period="2028-12")  # fmt: skip
        Decision.objects.create(
            run=run, program=program, worker_id=wid, outcome="assigned", months=12, cost=cost
        )
    return (time.perf_counter() - t) / max(1, len(ids))


if __name__ == "__main__":
    main()
