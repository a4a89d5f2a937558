"""Benchmark: the coverage figures (issue #15) at national scale. Builds N workers x 12 months of ledger (real
billing runs; about 85 % of the months paid, the rest left to lapse), refreshes the aggregates, then measures
in the same run:

- the dashboard page and the report (GET /api/v1/insights/coverage with one row per region below) p50/p95 per
  level (nation, province, regency, district, village) under 10 concurrent readers;
- the same report computed the naive way, COUNT ... GROUP BY on the live ledger, under the same load (the
  baseline);
- the refresh after a billing run and after a statement (the months they touched), and a full refresh.

    .venv/bin/python bench/insights.py                                   # SQLite, 1,000,000 workers
    .venv/bin/python bench/insights.py --db postgres --workers 10000000  # PostgreSQL (jaring_bench_insights)
    .venv/bin/python bench/insights.py --workers 50000 --requests 20     # a quick look

Figures are printed and appended to bench/results.jsonl with the machine they ran on."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.ledger import _database, _machine, _programs, _registry  # noqa: E402 (the path above first)

TZ = dt.timezone(dt.timedelta(hours=7))
FIRST = (2025, 12)  # twelve months billed, December 2025 to November 2026
MONTHS = 12


def _months() -> list[tuple[int, int]]:
    out, (y, m) = [], FIRST
    for _ in range(MONTHS):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _ledger(rng: random.Random) -> dict[str, float]:
    """Bill every month at its first day, then pay about 85 % of its lines (set-based, as a statement would)."""
    from django.db import connection, transaction

    from jaring.contributions.models import BillLine
    from jaring.contributions.services import billing_run
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period

    line = BillLine._meta.db_table
    started = time.perf_counter()
    for y, m in _months():
        issued = dt.datetime(y, m, 1, 7, 0, tzinfo=TZ)
        billing_run(period=Period(y, m), viewer=SYSTEM, actor=None, issued_at=issued)
        paid_at = connection.ops.adapt_datetimefield_value(issued + dt.timedelta(days=9))
        with transaction.atomic(), connection.cursor() as cursor:
            # 15 % of the workers (by id) skip a month now and then: some come back, some lapse
            cursor.execute(f"UPDATE {line} SET status = 'paid', paid_at = %s WHERE period = %s AND status = 'open' "
                           f"AND (worker_id % 20 <> %s AND worker_id % 7 <> %s)",
                           [paid_at, f"{y:04d}-{m:02d}", rng.randrange(20), rng.randrange(7)])  # fmt: skip
        print(f"\r  ledger {y}-{m:02d}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return {"ledger_s": round(time.perf_counter() - started, 1)}


def _levels() -> dict[str, list[str]]:
    """Regions of every level that hold workers: the nation, and up to 20 of each level below."""
    from jaring.registry.models import Worker

    rng = random.Random(3)
    villages = list(Worker.objects.values_list("village_id", flat=True).distinct())
    rng.shuffle(villages)
    picks = {"nation": [""]}
    for name, width in (("province", 2), ("regency", 5), ("district", 8), ("village", 13)):
        picks[name] = sorted({v[:width] for v in villages})[:20]
    return picks


CHILD = {0: "province_code", 1: "regency_code", 2: "district_code", 3: "village_code", 4: "village_code"}
PARENT = {1: "province_code", 2: "regency_code", 3: "district_code", 4: "village_code"}


def _naive(code: str, period: str) -> dict[str, object]:
    """The report from the live tables: the region's and each region below's months by status, and the
    workers registered, by COUNT ... GROUP BY (what a system without aggregates does per request)."""
    from django.db import connection

    from jaring.contributions.models import BillLine
    from jaring.insights.rules import level_of
    from jaring.registry.models import Worker

    level = level_of(code)
    where = f" AND w.{PARENT[level]} = %s" if level else ""
    params = [period, code] if level else [period]
    child = CHILD[level]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT w.{child}, l.status, COUNT(*) FROM {BillLine._meta.db_table} l JOIN {Worker._meta.db_table} w "
            f"ON w.id = l.worker_id WHERE l.period = %s AND w.merged_into_id IS NULL{where} GROUP BY w.{child}, l.status",
            params,
        )  # fmt: skip
        rows = cursor.fetchall()
        cursor.execute(
            f"SELECT w.{child}, COUNT(*) FROM {Worker._meta.db_table} w WHERE w.merged_into_id IS NULL{where} "
            f"GROUP BY w.{child}",
            params[1:],
        )  # fmt: skip
        registered = cursor.fetchall()
    return {"lines": rows, "registered": registered}


def _reader(job: tuple[str, list[str], str, int, int, int]) -> list[float]:
    """One reader process: `requests` reads of random regions, each timed (ms); the page or API as a signed-in
    administrator, or the naive count."""
    from django.db import connections
    from django.test import Client

    kind, targets, period, requests, user_id, seed = job
    connections.close_all()  # a fresh connection of its own after the fork
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(pk=user_id))
    rng = random.Random(seed)
    times = []
    for _ in range(requests):
        code = rng.choice(targets)
        t = time.perf_counter()
        if kind == "dashboard":
            status = client.get("/cakupan/", {"region": code, "period": period}).status_code
        elif kind == "report":
            by = {0: "province", 1: "regency", 2: "district", 3: "village"}.get(
                len(code.split(".")) if code else 0, ""
            )
            status = client.get(
                "/api/v1/insights/coverage", {"region": code, "period": period, "by": by}
            ).status_code
        else:
            _naive(code, period)
            status = 200
        times.append((time.perf_counter() - t) * 1000)
        if status != 200:
            raise RuntimeError(f"{kind} {code}: {status}")
    return times


def _load(kind: str, targets: list[str], period: str, requests: int, readers: int) -> dict[str, float]:
    """`readers` processes at once (as a server's workers), `requests` reads each; p50/p95 in milliseconds.
    The report asks for one row per region one level below, as a partner's system would."""
    import multiprocessing

    from django.db import connections

    from jaring.core.factories import make_user
    from jaring.core.rules import Role

    user = make_user(Role.ADMIN, username=f"bench-{kind}-{time.monotonic_ns()}")
    connections.close_all()
    jobs = [(kind, targets, period, requests, user.pk, i) for i in range(readers)]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(readers) as pool:
        times = sorted(t for part in pool.map(_reader, jobs) for t in part)
    wall = time.perf_counter() - started
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "reads": len(times), "reads_per_s": round(len(times) / wall, 1)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--requests", type=int, default=20, help="reads per reader per level and kind")
    parser.add_argument("--naive-requests", type=int, default=3, help="reads per reader of the naive count")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the reads on the database built last time"
    )
    args = parser.parse_args()

    if args.reuse:
        os.environ["DATABASE_URL"] = (f"sqlite:///{HERE / 'out' / 'insights.sqlite3'}" if args.db == "sqlite"
                                      else "postgresql://127.0.0.1:5432/jaring_bench_insights")  # fmt: skip
    else:
        os.environ["DATABASE_URL"] = _database(args.db, "insights")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    os.environ["JARING_VAR_DIR"] = str(HERE / "out" / "var")
    os.environ["JARING_TASK_BACKEND"] = (
        "django_tasks.backends.dummy.DummyBackend"  # the bench refreshes itself
    )
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    result: dict[str, object] = {"db": args.db, "workers": args.workers, "months": MONTHS,
                                 "readers": args.readers, "reused": args.reuse}  # fmt: skip
    if not args.reuse:
        _build(args, result)
    levels = _levels()
    period = "2026-11"
    reads: dict[str, dict[str, object]] = {}
    for level, targets in levels.items():
        base = _load("naive", targets, period, args.naive_requests, args.readers)
        report = _load("report", targets, period, args.requests, args.readers)
        page = _load("dashboard", targets, period, args.requests, args.readers)
        reads[level] = {"report": report, "dashboard": page, "naive": base,
                        "report_vs_naive_p95": round(base["p95_ms"] / max(report["p95_ms"], 0.1), 1)}  # fmt: skip
        print(f"{level:>9}: report p50 {report['p50_ms']} p95 {report['p95_ms']} ms; dashboard p50 "
              f"{page['p50_ms']} p95 {page['p95_ms']} ms; naive p50 {base['p50_ms']} p95 {base['p95_ms']} ms",
              file=sys.stderr)  # fmt: skip
    result["reads"] = reads
    result["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    print(json.dumps(result, indent=1))
    with (HERE / "results.jsonl").open("a") as fh:
        fh.write(json.dumps({"bench": "insights", "machine": _machine(), "results": result}) + "\n")


def _build(args: argparse.Namespace, result: dict[str, object]) -> None:
    """The registry, 12 months of ledger, and the refreshes measured on it."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from jaring.regions.services import regions_load

    regions_load(actor=None)
    t = time.perf_counter()
    ids = _registry(args.workers)
    _programs(ids, args.programs)
    result["setup_registry_s"] = round(time.perf_counter() - t, 1)
    result.update(_ledger(random.Random(11)))
    from jaring.contributions.models import BillLine
    from jaring.core.changes import coverage_touched
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period
    from jaring.insights.models import CoverageFigure
    from jaring.insights.services import coverage_refresh, coverage_refresh_pending

    result["lines"] = BillLine.objects.count()
    coverage_refresh_pending()  # what the billing runs marked
    t = time.perf_counter()
    full = coverage_refresh(periods=None)
    result["refresh_full_s"] = round(time.perf_counter() - t, 1)
    result["figure_rows"] = CoverageFigure.objects.count()
    print(f"ledger {result['lines']:,} lines; full refresh {result['refresh_full_s']} s, {full.rows:,} rows",
          file=sys.stderr)  # fmt: skip
    # after a billing run: the month billed and the months it lapsed (marked by the run itself)
    from jaring.contributions.services import billing_run

    t = time.perf_counter()
    billing_run(
        period=Period(2026, 12), viewer=SYSTEM, actor=None, issued_at=dt.datetime(2026, 12, 1, 7, tzinfo=TZ)
    )
    result["bill_run_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    after_bill = coverage_refresh_pending()
    result["refresh_after_billing_s"] = round(time.perf_counter() - t, 1)
    result["refresh_after_billing_months"] = after_bill.periods if after_bill else []
    # after a 100,000-line statement paying December: the months it paid (one), marked as the settling does
    from django.db import connection, transaction

    paid_at = connection.ops.adapt_datetimefield_value(dt.datetime(2026, 12, 9, 9, tzinfo=TZ))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {BillLine._meta.db_table} SET status = 'paid', paid_at = %s WHERE id IN (SELECT id "
                       f"FROM {BillLine._meta.db_table} WHERE period = '2026-12' AND status = 'open' LIMIT 100000)",
                       [paid_at])  # fmt: skip
        coverage_touched(["2026-12"])
    t = time.perf_counter()
    coverage_refresh_pending()
    result["refresh_after_statement_s"] = round(time.perf_counter() - t, 1)


if __name__ == "__main__":
    main()
