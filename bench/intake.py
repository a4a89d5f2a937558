"""Benchmark: the whole intake of a large worker list (read, validate, stage, commit) on SQLite and
PostgreSQL, for .csv and .xlsx, with peak memory; in the same run, the row-by-row save() baseline.

    .venv/bin/python bench/intake.py                       # 1,000,000 rows, both databases, both formats
    .venv/bin/python bench/intake.py --rows 100000 --dbs sqlite --formats csv

Each measurement runs in a fresh process on a fresh database (peak RSS of that process is reported).
Generated lists are cached in bench/out/. Results are appended to bench/results.jsonl."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PG_ADMIN = os.environ.get("JARING_BENCH_PG_ADMIN", "postgresql://127.0.0.1:5432/test")
PG_BENCH = os.environ.get("JARING_BENCH_PG", "postgresql://127.0.0.1:5432/jaring_bench")


def _django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "jaring.settings"
    os.environ["JARING_VAR_DIR"] = str(OUT / "var")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        path = OUT / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = PG_BENCH.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return PG_BENCH


def generate(rows: int, seed: int, fmt: str) -> Path:
    """A village-style list of `rows` workers with the usual share of mistakes (cached)."""
    path = OUT / f"list-{rows}-seed{seed}.{fmt}"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    from jaring.demo.synthetic import MistakeRates, PeopleFactory, list_row, write_list

    villages = [r[0] for r in csv.reader(_region_lines()) if r[0].count(".") == 3]
    districts = sorted({v[:8].replace(".", "") for v in villages})
    factory = PeopleFactory(seed=seed, villages=villages, known_districts=districts, today=dt.date.today())
    rates = MistakeRates()
    started = time.perf_counter()
    people = (factory.person() for _ in range(rows))
    data = [list_row(factory.rng, p, rates) for p in people]
    write_list(path, data)
    print(f"  generated {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def _region_lines() -> list[str]:
    import gzip

    with gzip.open(
        ROOT / "jaring/regions/data/wilayah_kepmendagri_2025.csv.gz", "rt", encoding="utf-8"
    ) as fh:
        lines = fh.read().splitlines()[1:]
    seeds = ("36.03.", "35.25.", "35.10.", "61.")
    return [line for line in lines if line.startswith(seeds)]


def child_intake(db_url: str, file: Path) -> dict[str, object]:
    _django(db_url)
    from django.core.management import call_command

    from jaring.core.selectors import SYSTEM
    from jaring.imports.services import import_commit, import_stage, import_upload
    from jaring.regions.services import regions_load

    call_command("migrate", verbosity=0)
    regions_load(actor=None)
    t0 = time.perf_counter()
    with open(file, "rb") as fh:
        upload = import_upload(stream=fh, file_name=file.name, source="bench", viewer=SYSTEM, actor=None)
    t1 = time.perf_counter()
    batch = import_stage(batch_id=upload.batch.pk)
    t2 = time.perf_counter()
    rss_stage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    batch = import_commit(batch_id=batch.pk, viewer=SYSTEM, actor=None)
    t3 = time.perf_counter()
    return {
        "rows": batch.rows, "accepted": batch.accepted, "rejected": batch.rejected, "created": batch.created_workers,
        "upload_s": round(t1 - t0, 2), "stage_s": round(t2 - t1, 2), "commit_s": round(t3 - t2, 2),
        "total_s": round(t3 - t0, 2), "rows_per_s": round(batch.rows / (t3 - t0)),
        "commit_phases": {k: v for k, v in batch.timings.items() if k.startswith("commit_") and k != "commit_s"},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_stage_mb": round(rss_stage),
    }  # fmt: skip


def child_baseline(db_url: str, file: Path, rows: int) -> dict[str, object]:
    """What peers do: read the list, validate a row, Model.save() the worker and its card, autocommit per row."""
    _django(db_url)
    from django.core.management import call_command
    from django.utils import timezone

    from jaring.imports.rules import HEADER_NAMES
    from jaring.regions.selectors import village_codes
    from jaring.regions.services import regions_load
    from jaring.registry.models import Membership, Worker
    from jaring.registry.rules import kpj_number, name_key
    from jaring.registry.rules.rows import TEMPLATE_FIELDS, row_validate
    from jaring.registry.selectors import row_context

    call_command("migrate", verbosity=0)
    regions_load(actor=None)
    ctx = row_context(today=timezone.localdate(), village_codes=village_codes())
    by_header = {HEADER_NAMES[f][0]: f for f in TEMPLATE_FIELDS}
    t0 = time.perf_counter()
    saved = 0
    with open(file, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        for i, raw in enumerate(reader):
            if i >= rows:
                break
            cells = {by_header[k]: v for k, v in raw.items() if k in by_header}
            result = row_validate(cells, ctx)
            if result.rejected:
                continue
            v = dict(result.values)
            village = str(v.pop("village_code"))
            v.pop("nik") if not v["nik"] else None
            if Worker.objects.filter(nik=result.values["nik"]).exists() if result.values["nik"] else False:
                continue
            worker = Worker(**v, name_key=name_key(str(v["full_name"])), village_id=village, district_code=village[:8],
                            regency_code=village[:5], province_code=village[:2])  # fmt: skip
            worker.save()
            saved += 1
            # Registering a worker includes the card (issue #12), as Jaring's commit does.
            Membership(worker=worker, kpj=kpj_number(saved)).save()
    elapsed = time.perf_counter() - t0
    return {"rows": rows, "created": saved, "total_s": round(elapsed, 2), "rows_per_s": round(rows / elapsed)}


def machine() -> dict[str, object]:
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        "?",
    )
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gb": round(int(mem) / 1024 / 1024, 1),
            "python": platform.python_version(), "date": dt.date.today().isoformat()}  # fmt: skip


def run_child(*args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--dbs", default="sqlite,postgres")
    p.add_argument("--formats", default="csv,xlsx")
    p.add_argument("--baseline-rows", type=int, default=10_000)
    p.add_argument("--child", choices=["intake", "baseline"])
    p.add_argument("--db")
    p.add_argument("--file")
    args = p.parse_args()
    if args.child == "intake":
        print(json.dumps(child_intake(args.db, Path(args.file))))
        return
    if args.child == "baseline":
        print(json.dumps(child_baseline(args.db, Path(args.file), args.baseline_rows)))
        return

    sys.path.insert(0, str(ROOT))
    info = machine()
    print(f"machine: {info}")
    files = {fmt: generate(args.rows, args.seed, fmt) for fmt in args.formats.split(",")}
    baseline_file = generate(max(args.baseline_rows, 10_000), args.seed + 1, "csv")
    results = []
    for db in args.dbs.split(","):
        base = run_child("--child", "baseline", "--db", fresh_database(db), "--file", str(baseline_file),
                         "--baseline-rows", str(args.baseline_rows))  # fmt: skip
        print(
            f"{db:8} baseline row-by-row save(): {base['rows']:>9,} rows in {base['total_s']:>7} s = {base['rows_per_s']:>7,} rows/s"
        )
        for fmt, file in files.items():
            r = run_child("--child", "intake", "--db", fresh_database(db), "--file", str(file))
            ratio = round(float(r["rows_per_s"]) / float(base["rows_per_s"]), 1)  # type: ignore[arg-type]
            print(f"{db:8} {fmt:4} intake: {r['rows']:>9,} rows in {r['total_s']:>7} s "
                  f"(upload {r['upload_s']}, stage {r['stage_s']}, commit {r['commit_s']}) = {r['rows_per_s']:>7,} rows/s, "
                  f"peak {r['peak_rss_mb']} MB, {ratio}x baseline; commit phases {r['commit_phases']}")  # fmt: skip
            results.append(
                {"db": db, "format": fmt, **r, "baseline_rows_per_s": base["rows_per_s"], "ratio": ratio}
            )
    with open(HERE / "results.jsonl", "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"machine": info, "rows": args.rows, "results": results}) + "\n")


if __name__ == "__main__":
    main()
