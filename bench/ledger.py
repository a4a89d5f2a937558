"""Benchmark: billing a month for N funded workers across 500 programs, and importing and matching a bank
statement of M lines, each against the row-by-row way on a sample in the same run (the baseline).

    .venv/bin/python bench/ledger.py                                   # SQLite, 1,000,000 workers
    .venv/bin/python bench/ledger.py --db postgres --workers 10000000  # PostgreSQL (database jaring_bench_ledger)
    .venv/bin/python bench/ledger.py --workers 20000 --statement-lines 5000   # a quick look

Each run starts from a fresh database: regions loaded, workers and cards inserted set-based (the intake is
measured by bench/intake.py), 500 funding programs each paying for an equal share of them. Figures are
printed and appended to bench/results.jsonl with the machine they ran on."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PG_ADMIN = "postgresql://127.0.0.1:5432/postgres"


def _database(kind: str, name: str = "ledger") -> str:
    """A fresh database for one bench run: bench/out/<name>.sqlite3, or jaring_bench_<name> on PostgreSQL."""
    OUT.mkdir(exist_ok=True)
    if kind == "sqlite":
        path = OUT / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    db = f"jaring_bench_{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db}")
        conn.execute(f"CREATE DATABASE {db}")
    return f"postgresql://127.0.0.1:5432/{db}"


# The bench's clock: November 2026 billed on its first day (billing refuses months that can no longer be paid).
ISSUED = dt.datetime(2026, 11, 1, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
JANUARY_PAID = ISSUED.replace(year=2027, month=1, day=3)  # a counter payment of the January bill, that day


def _machine() -> dict[str, object]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gb": round(mem, 1), "python": platform.python_version(),
            "date": dt.date.today().isoformat()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1_000_000)
    parser.add_argument("--programs", type=int, default=500)
    parser.add_argument("--statement-lines", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=10_000, help="lines done the row-by-row way")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = _database(args.db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    os.environ["JARING_VAR_DIR"] = str(OUT / "var")
    sys.path.insert(0, str(HERE.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from jaring.regions.services import regions_load

    regions_load(actor=None)
    result = {"db": args.db, "workers": args.workers, "programs": args.programs}
    t = time.perf_counter()
    worker_ids = _registry(args.workers)
    result["setup_registry_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    _programs(worker_ids, args.programs)
    result["setup_programs_s"] = round(time.perf_counter() - t, 1)
    result.update(_bench_billing(args.sample))
    result.update(_bench_statement(args.statement_lines, max(200, args.sample // 5)))
    result["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20, 2)
    print(json.dumps(result, indent=1))
    with (HERE / "results.jsonl").open("a") as fh:
        fh.write(json.dumps({"bench": "ledger", "machine": _machine(), "results": result}) + "\n")


def _registry(count: int) -> list[int]:
    """Workers with cards, inserted set-based in village order (realistic columns; the intake has its own
    benchmark)."""
    import polars as pl
    from django.db import connection, transaction
    from django.utils import timezone

    from jaring.core.bulk import insert_frame
    from jaring.regions.models import Region
    from jaring.registry.models import Membership, Worker
    from jaring.registry.rules import kpj_number
    from jaring.registry.services import WORKER_COLUMNS

    villages = sorted(Region.objects.filter(level=4, code__startswith="36.").values_list("code", flat=True))
    rng = random.Random(7)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    chosen = sorted(rng.choice(villages) for _ in range(count))
    names = ["Siti Aminah", "Budi Santoso", "Nur Hidayah", "Muhammad Rizki", "Dewi Lestari", "Agus Salim"]
    frame = pl.DataFrame({
        "nik": [f"36{i:014d}" for i in range(count)],
        "full_name": [names[i % len(names)] for i in range(count)],
        "village_code": chosen,
    }).select(
        "nik", "full_name", pl.col("full_name").str.to_lowercase().alias("name_key"),
        pl.lit("P").alias("sex"), pl.lit("Tangerang").alias("birth_place"), pl.lit("1985-04-12").alias("birth_date"),
        pl.lit("Siti").alias("mother_name"), pl.lit("").alias("address"), "village_code",
        pl.col("village_code").str.slice(0, 8).alias("district_code"),
        pl.col("village_code").str.slice(0, 5).alias("regency_code"),
        pl.col("village_code").str.slice(0, 2).alias("province_code"),
        pl.lit("").alias("phone"), pl.lit("petani").alias("occupation"), pl.lit("").alias("occupation_text"),
        pl.lit("rentan").alias("ecosystem"),
        pl.when(pl.int_range(pl.len()) % 10 == 0).then(pl.lit("transport")).otherwise(pl.lit("other")).alias("sector"),
        pl.lit(1_000_000).alias("income_tier"), pl.lit(None, dtype=pl.Int64).alias("poverty_decile"),
        pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at"),
        pl.lit(None, dtype=pl.Int64).alias("created_batch_id"), pl.lit(None, dtype=pl.Int64).alias("created_by_id"),
    )  # fmt: skip
    with transaction.atomic():
        insert_frame(
            Worker._meta.db_table, frame.rename(dict(zip(frame.columns, WORKER_COLUMNS, strict=True)))
        )
    ids = list(Worker.objects.order_by("id").values_list("id", flat=True))
    cards = pl.DataFrame({
        "worker_id": ids, "kpj": [kpj_number(i + 1) for i in range(len(ids))],
    }).with_columns(pl.lit("active").alias("status"), pl.lit(now).alias("registered_at"),
                    pl.lit(None, dtype=pl.Int64).alias("registered_by_id"))  # fmt: skip
    with transaction.atomic():
        insert_frame(Membership._meta.db_table, cards)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ids


PAYER_TYPES = ["apbd_kabkota", "apbd_provinsi", "apbdes", "csr", "donor", "baznas"]


def _programs(worker_ids: list[int], programs: int) -> None:
    from jaring.contributions.models import PayerKind
    from jaring.contributions.rules import PayerType
    from jaring.contributions.services import payer_assign, payer_create
    from jaring.core.types import Period

    share = -(-len(worker_ids) // programs)
    for i in range(programs):
        payer = payer_create(kind=PayerKind.PROGRAM, payer_type=PayerType(PAYER_TYPES[i % len(PAYER_TYPES)]),
                             name=f"Program {i + 1}", program_ref=f"bench:{i + 1}", actor=None)  # fmt: skip
        chunk = worker_ids[i * share : (i + 1) * share]
        if chunk:
            payer_assign(payer_id=payer.pk, worker_ids=chunk, first_period=Period(2026, 1), last_period=None,
                         actor=None)  # fmt: skip


def _bench_billing(sample: int) -> dict[str, object]:
    from django.db import transaction

    from jaring.contributions.services import billing_run
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period

    t = time.perf_counter()
    first = billing_run(period=Period(2026, 11), viewer=SYSTEM, actor=None, issued_at=ISSUED)
    bill_s = time.perf_counter() - t
    t = time.perf_counter()
    again = billing_run(period=Period(2026, 11), viewer=SYSTEM, actor=None, issued_at=ISSUED)
    rerun_s = time.perf_counter() - t
    print(f"billing: {first.lines:,} lines on {first.bills:,} bills in {bill_s:.1f} s {first.phases}, "
          f"{bill_s - first.seconds:.1f} s audit and commit; "
          f"re-run {rerun_s:.1f} s ({again.lines} lines)")  # fmt: skip
    with transaction.atomic():
        per_line = _billing_row_by_row(Period(2026, 12), sample)
        transaction.set_rollback(True)
    baseline_s = per_line * first.lines
    print(f"row-by-row baseline: {per_line * 1e6:.0f} µs/line -> {baseline_s:.0f} s for {first.lines:,} lines; "
          f"ratio {baseline_s / bill_s:.1f}x")  # fmt: skip
    return {"bill_lines": first.lines, "bill_bills": first.bills, "bill_s": round(bill_s, 1),
            "bill_phases": {**first.phases, "commit": round(bill_s - first.seconds, 2)}, "rerun_s": round(rerun_s, 2), "rerun_lines": again.lines,
            "bill_row_by_row_us_per_line": round(per_line * 1e6), "bill_ratio": round(baseline_s / bill_s, 1)}  # fmt: skip


def _billing_row_by_row(period: object, sample: int) -> float:
    """The obvious way: per worker, look up the payer, price the month with the rules (rows read once),
    get or create the payer's bill, save a line."""
    from django.utils import timezone

    from jaring.contributions import rules
    from jaring.contributions.models import Bill, BillingRun, BillLine, Payer, PayerAssignment
    from jaring.contributions.rules import PayerType
    from jaring.contributions.selectors import discount_excluded, discount_rows, rate_rows, tier_rows
    from jaring.registry.models import Membership, Worker

    rates, tiers, discounts = rate_rows(), tier_rows(), discount_rows()
    run = BillingRun.objects.create(period=str(period), started_at=timezone.now())
    ids = list(
        Membership.objects.filter(status="active")
        .order_by("worker_id")
        .values_list("worker_id", flat=True)[:sample]
    )
    t = time.perf_counter()
    for worker_id in ids:
        worker = Worker.objects.get(pk=worker_id)
        assignment = (
            # Ordered the way the (worker, first_period) index is: "-id" alone makes PostgreSQL walk the primary
            # key backwards through millions of rows (0.35 s per worker at 10 million).
            PayerAssignment.objects.filter(worker_id=worker_id, first_period__lte=str(period))
            .order_by("-first_period", "-id")
            .first()
        )
        assert assignment is not None
        payer = Payer.objects.get(pk=assignment.payer_id)
        ptype = PayerType(payer.payer_type)
        due = rules.contribution_due(income=worker.income_tier, period=period, payer_type=ptype,  # type: ignore[arg-type]
                                     sector=worker.sector, jht=payer.jht, rates=rates, tiers=tiers,
                                     discounts=discounts, discount_excluded=discount_excluded(ptype))  # fmt: skip
        bill, _ = Bill.objects.get_or_create(
            payer=payer, period=str(period), seq=1,
            defaults={"first_period": str(period), "last_period": str(period), "run": run,
                      "va_number": payer.va_number, "payer_name": payer.name, "payer_type": payer.payer_type,
                      "lines_count": 0, "amount_total": 0, "issued_at": timezone.now(), "due_date": dt.date.today()},
        )  # fmt: skip
        BillLine.objects.create(bill=bill, payer=payer, worker_id=worker_id, period=str(period),
                                income=worker.income_tier, sector=worker.sector, jkk=due.jkk, jkm=due.jkm,
                                jht=due.jht, amount=due.total)  # fmt: skip
        Bill.objects.filter(pk=bill.pk).update(lines_count=bill.lines_count + 1)
    return (time.perf_counter() - t) / max(1, len(ids))


def _bench_statement(lines: int, sample: int) -> dict[str, object]:
    """Self-paying workers billed for a month, then a statement of `lines` transfers: 96 % exact, 2 % part,
    1 % to an unknown account, 1 % a reference seen twice."""
    import io

    from jaring.contributions.models import Payer
    from jaring.contributions.rules import va_number
    from jaring.contributions.services import billing_run, payment_record, statement_import
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period
    from jaring.registry.models import Worker

    # The last `lines + sample` workers pay for themselves from 2027-01 (their program ends in December).
    mandiri = list(Worker.objects.order_by("-id").values_list("id", flat=True)[: lines + sample])
    _end_assignments(len(mandiri))
    t = time.perf_counter()
    january = billing_run(
        period=Period(2027, 1), viewer=SYSTEM, actor=None, issued_at=ISSUED.replace(year=2027, month=1)
    )
    print(f"billing 2027-01 incl. {len(mandiri):,} new self-paying payers: {time.perf_counter() - t:.1f} s "
          f"({january.lines:,} lines)")  # fmt: skip
    payers = list(Payer.objects.filter(kind="worker").order_by("id").values_list("va_number", flat=True))
    rng = random.Random(11)
    body = ["reference,va_number,amount,paid_at"]
    for i, va in enumerate(payers[:lines]):
        roll = rng.random()
        amount = 16_800 if roll < 0.96 else 8_000
        account = va if roll < 0.99 else va_number(prefix="8889", customer=f"9{i:010d}")
        body.append(f"B{i},{account},{amount},2027-01-{1 + i % 28:02d} 10:00")
        if roll > 0.99 and i:
            body.append(f"B{i - 1},{payers[i - 1]},16800,2027-01-01 10:00")
    data = ("\n".join(body) + "\n").encode()
    t = time.perf_counter()
    result = statement_import(stream=io.BytesIO(data), file_name="bench.csv", profile_name="jaring", viewer=SYSTEM,
                              actor=None)  # fmt: skip
    import_s = time.perf_counter() - t
    st = result.statement
    print(f"statement: {st.lines:,} lines ({st.matched:,} matched, {st.unmatched:,} queued, {st.duplicates:,} "
          f"duplicates, {result.lines_paid:,} months paid) in {import_s:.1f} s")  # fmt: skip
    # Each payment in its own transaction, as at a bank counter (one transaction for thousands of them would
    # hold every temporary table's lock until the end: PostgreSQL runs out of lock slots).
    t = time.perf_counter()
    for i, va in enumerate(payers[lines : lines + sample]):
        payment_record(va_number=va, amount=16_800, paid_at=JANUARY_PAID, reference=f"S{i}", bank="bri",
                       viewer=SYSTEM, actor=None, recorded_at=JANUARY_PAID)  # fmt: skip
    per_line = (time.perf_counter() - t) / max(1, sample)
    baseline_s = per_line * st.lines
    print(f"row-by-row baseline (payment_record per line): {per_line * 1e3:.1f} ms/line -> {baseline_s:.0f} s; "
          f"ratio {baseline_s / import_s:.1f}x")  # fmt: skip
    return {"statement_lines": st.lines, "statement_s": round(import_s, 1), "statement_matched": st.matched,
            "statement_unmatched": st.unmatched, "statement_duplicates": st.duplicates,
            "statement_months_paid": result.lines_paid,
            "statement_row_by_row_ms_per_line": round(per_line * 1e3, 2),
            "statement_ratio": round(baseline_s / import_s, 1)}  # fmt: skip


def _end_assignments(count: int) -> None:
    from django.db import connection

    from jaring.contributions.models import PayerAssignment
    from jaring.registry.models import Worker

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PayerAssignment._meta.db_table} SET last_period = '2026-12' WHERE worker_id IN "
            f"(SELECT id FROM {Worker._meta.db_table} ORDER BY id DESC LIMIT %s)",
            [count],
        )


if __name__ == "__main__":
    main()
