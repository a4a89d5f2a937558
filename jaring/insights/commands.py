"""`jaring coverage report`, `coverage target`, `coverage refresh` (issue #15)."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from django.utils import timezone

from jaring.core.cli import Commands, Output
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.insights import exports
from jaring.insights.selectors import BY_CHOICES, coverage_report, coverage_trend, report_doc
from jaring.insights.services import coverage_refresh, coverage_refresh_pending, coverage_target_set


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} %".replace(".", ",")


def _n(value: int | None) -> str:
    return f"{value or 0:,}".replace(",", ".")


def _human(d: dict[str, Any]) -> str:
    head = (f"{d['name']} ({d['region_code'] or 'ID'}), {d['period']}: terdaftar {_n(d['registered'])}, peserta "
            f"{_n(d['members'])}, terlindungi {_n(d['covered'])}, menunggak {_n(d['arrears'])}, lewat masa bayar "
            f"{_n(d['lapsed'])}; cakupan {_pct(d['coverage_pct'])} dari {_n(d['target'])} ({d['target_source']})")  # fmt: skip
    rows = [f"  {r['code']:<14} {r['name'][:32]:<32} {_n(r['covered']):>9} / {_n(r['target']):>10}  "
            f"{_pct(r['coverage_pct'])}" for r in d["rows"]]  # fmt: skip
    return "\n".join([head, *rows])


def cmd_coverage_report(args: argparse.Namespace) -> Output:
    period = Period.parse(args.period) if args.period else Period.of(timezone.localdate())
    coverage_refresh_pending()  # what the last jobs changed is counted before it is read
    report = coverage_report(viewer=SYSTEM, region_code=args.region, period=period, by=args.by or "")
    if args.xlsx:
        Path(args.xlsx).write_bytes(exports.report_xlsx(report))
    if args.pdf:
        trend = coverage_trend(viewer=SYSTEM, region_code=args.region, period=period)
        Path(args.pdf).write_bytes(exports.report_pdf(report=report, trend=trend, viewer=SYSTEM))
    return Output(report_doc(report), _human)


def cmd_coverage_target(args: argparse.Namespace) -> Output:
    target = coverage_target_set(region_code=args.region, workers=args.workers, source=args.source, year=args.year,
                                 viewer=SYSTEM, actor=None)  # fmt: skip
    data = {"id": target.pk, "region_code": target.region_code, "workers": target.workers, "source": target.source,
            "year": target.year}  # fmt: skip
    return Output(data, lambda d: f"Target {d['region_code'] or 'nasional'}: {_n(d['workers'])} pekerja "
                                  f"({d['source']}, {d['year']})")  # fmt: skip


def cmd_coverage_refresh(args: argparse.Namespace) -> Output:
    periods = [str(Period.parse(p)) for p in args.period or []] or None
    result = coverage_refresh(periods=periods)
    return Output(dataclasses.asdict(result),
                  lambda d: f"{len(d['periods'])} bulan, {_n(d['rows'])} baris, {d['seconds']} detik")  # fmt: skip


def register(commands: Commands) -> None:
    coverage = commands.group("coverage", "coverage months")
    report = coverage.add("report", cmd_coverage_report,
                          "a region's coverage in one month: registered, members, covered, arrears, lapsed, "
                          "target and coverage %, with one row per region below or per split")  # fmt: skip
    report.add_argument("--region", default="", help="region code (36.03), empty for the nation")
    report.add_argument("--period", default="", help="month, YYYY-MM (default: this month)")
    report.add_argument("--by", choices=BY_CHOICES, default="", help="one row per region below, or per split")
    report.add_argument("--xlsx", default="", help="also write the table to this .xlsx file")
    report.add_argument("--pdf", default="", help="also write the signed report (PDF) to this file")
    target = coverage.add("target", cmd_coverage_target,
                          "record a region's denominator: its vulnerable/informal workers, with source and year")  # fmt: skip
    target.add_argument("--region", required=True, help="region code (36.03)")
    target.add_argument("--workers", type=int, required=True, help="number of vulnerable/informal workers")
    target.add_argument("--source", required=True, help="where the figure comes from (BPS Kab. Gresik)")
    target.add_argument("--year", type=int, required=True, help="the figure's year, YYYY")
    refresh = coverage.add("refresh", cmd_coverage_refresh, "recompute the coverage figures from the ledger")
    refresh.add_argument(
        "--period", action="append", help="only this month (repeatable); default every month"
    )
