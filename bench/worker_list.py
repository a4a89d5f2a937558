"""Benchmark: the worker list on a registry of about a million workers (the database bench/intake.py
leaves behind, or any DATABASE_URL), against Django's Paginator (COUNT(*) + OFFSET) as the baseline.

    .venv/bin/python bench/worker_list.py                         # bench/out/bench.sqlite3
    DATABASE_URL=postgresql://127.0.0.1:5432/jaring_bench .venv/bin/python bench/worker_list.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{HERE / 'out' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
sys.path.insert(0, str(HERE.parent))

import django  # noqa: E402

django.setup()

from django.core.paginator import Paginator  # noqa: E402

from jaring.core.rules import Role  # noqa: E402
from jaring.core.selectors import SYSTEM, Viewer  # noqa: E402
from jaring.registry.models import Worker  # noqa: E402
from jaring.registry.selectors import WorkerFilters, worker_list  # noqa: E402


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) * 1000


def main() -> None:
    total = Worker.objects.count()
    sample = Worker.objects.exclude(nik=None).order_by("id")[total // 2]
    regency = sample.regency_code
    officer = Viewer(user_id=None, username="bench", role=Role.REGION, region_codes=(regency,))
    village = Viewer(user_id=None, username="bench", role=Role.VILLAGE, region_codes=(sample.village_id,))
    common = sample.full_name.split()[0]
    rare = sample.full_name
    page2_after = worker_list(viewer=SYSTEM, filters=WorkerFilters()).next_after
    print(f"registry: {total:,} workers; database: {os.environ['DATABASE_URL'].split(':')[0]}")
    cases = [
        ("first page, administrator", lambda: worker_list(viewer=SYSTEM, filters=WorkerFilters())),
        (
            "next page, administrator",
            lambda: worker_list(viewer=SYSTEM, filters=WorkerFilters(), after=page2_after),
        ),
        (
            f"first page, regency officer {regency}",
            lambda: worker_list(viewer=officer, filters=WorkerFilters()),
        ),
        ("first page, village operator", lambda: worker_list(viewer=village, filters=WorkerFilters())),
        (
            f"search '{common}' (common name)",
            lambda: worker_list(viewer=SYSTEM, filters=WorkerFilters(q=common)),
        ),
        (f"search '{rare}' (one person)", lambda: worker_list(viewer=SYSTEM, filters=WorkerFilters(q=rare))),
        ("search by NIK", lambda: worker_list(viewer=SYSTEM, filters=WorkerFilters(q=str(sample.nik)))),
        (
            f"search '{common}' within regency",
            lambda: worker_list(viewer=officer, filters=WorkerFilters(q=common)),
        ),
    ]
    for label, fn in cases:
        print(f"  {label:45} {timed(fn):8.1f} ms")
    qs = Worker.objects.order_by("-id")
    deep = max(1, (total // 50) * 3 // 4)
    baseline = timed(lambda: list(Paginator(qs, 50).page(deep).object_list), repeat=3)
    ours = timed(lambda: worker_list(viewer=SYSTEM, filters=WorkerFilters(), after=page2_after))
    print(
        f"  baseline Paginator page {deep:,} (COUNT + OFFSET) {baseline:8.1f} ms = {baseline / ours:.0f}x a keyset page"
    )


if __name__ == "__main__":
    main()
