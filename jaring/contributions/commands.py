"""`jaring contribution quote`, `bill`, `payments import`, `coverage show`: the ledger from the command line."""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path
from typing import Any

from django.utils import timezone

from jaring.contributions.rules import payer_type_parse
from jaring.contributions.selectors import contribution_quote, coverage_by_nik
from jaring.contributions.services import billing_run, statement_import
from jaring.core.cli import EXIT_OK, EXIT_REJECTED, Commands, Output, UsageError, rupiah
from jaring.core.errors import ErrorCode, ValidationFailed
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period, whole_number


def cmd_contribution_quote(args: argparse.Namespace) -> Output:
    income = whole_number(args.income.replace(".", "").replace(",", ""))
    if income is None:
        raise ValidationFailed(
            f"Penghasilan '{args.income}' bukan angka rupiah (contoh 1000000).",
            code=ErrorCode.INCOME_INVALID,
            field="income",
        )
    quote = contribution_quote(
        income=income, period=Period.parse(args.period), payer_type=payer_type_parse(args.payer_type),
        sector=args.sector, jht=args.jht,
    )  # fmt: skip
    due = quote.due
    data = {"jkk": due.jkk, "jkm": due.jkm, "jht": due.jht, "total": due.total, "period": args.period,
            "payer_type": args.payer_type, "sector": args.sector, "income": income, "rules": quote.rows}  # fmt: skip
    return Output(
        data,
        lambda d: (
            f"{d['period']} {d['payer_type']} {d['sector']}: JKK {rupiah(d['jkk'])} + JKM {rupiah(d['jkm'])} + "
            f"JHT {rupiah(d['jht'])} = {rupiah(d['total'])}\n"
            + "\n".join(f"  {r['rule']} #{r['id']}: {r['source']}" for r in d["rules"])
        ),
    )


def cmd_bill(args: argparse.Namespace) -> Output:
    result = billing_run(period=Period.parse(args.period), viewer=SYSTEM, actor=None)
    run = result.run
    data = {"run_id": run.pk, "period": args.period, "scope": run.scope or "national", "bills": result.bills,
            "lines": result.lines, "amount_total": result.amount_total, "lapsed_lines": run.lapsed_lines,
            "memberships_ended": run.memberships_ended, "settled_from_credit": result.settled_lines,
            "seconds": result.seconds}  # fmt: skip
    return Output(
        data,
        lambda d: (
            f"Penagihan {d['period']} ({d['scope']}): {d['bills']:,} tagihan, {d['lines']:,} peserta-bulan, "
            f"Rp {d['amount_total']:,}; {d['memberships_ended']:,} kepesertaan berakhir; {d['seconds']} detik."
        ).replace(",", "."),
    )


def cmd_payments_import(args: argparse.Namespace) -> Output:
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"jaring payments import: berkas tidak ada: {path}")
    started = time.perf_counter()
    with path.open("rb") as fh:
        result = statement_import(stream=fh, file_name=path.name, profile_name=args.profile, viewer=SYSTEM,
                                  actor=None)  # fmt: skip
    st = result.statement
    data = {"statement_id": st.pk, "new": result.created, "lines": st.lines, "matched": st.matched,
            "unmatched": st.unmatched, "duplicates": st.duplicates, "rejected": len(result.problems),
            "amount_total": st.amount_total, "months_paid": result.lines_paid,
            "problems": [dataclasses.asdict(p) for p in result.problems],
            "seconds": round(time.perf_counter() - started, 2)}  # fmt: skip

    def human(d: dict[str, Any]) -> str:
        head = (
            "Berkas ini sudah pernah diimpor; tidak ada yang berubah."
            if not d["new"]
            else (
                f"{d['lines']} baris: {d['matched']} cocok, {d['unmatched']} menunggu rekonsiliasi, "
                f"{d['duplicates']} referensi ganda, {d['rejected']} ditolak; {d['months_paid']} peserta-bulan lunas."
            )
        )
        return "\n".join([head, *(f"  baris {p['line']} kolom {p['column']}: {p['message']} [{p['code']}]"
                                  for p in d["problems"])])  # fmt: skip

    return Output(data, human, EXIT_REJECTED if result.problems else EXIT_OK)


def cmd_coverage_show(args: argparse.Namespace) -> Output:
    as_of = Period.parse(args.as_of) if args.as_of else Period.of(timezone.localdate())
    found = coverage_by_nik(viewer=SYSTEM, nik=args.worker, as_of=as_of, months=args.months)
    data = dataclasses.asdict(found)
    for month in data["months"]:
        month["paid"] = month["state"] == "paid"
        month["payer"] = month.pop("payer_name")

    def human(d: dict[str, Any]) -> str:
        arrears = (
            f", tunggakan {len(d['arrears'])} bulan {rupiah(d['arrears_amount'])}" if d["arrears"] else ""
        )
        rows = [f"KPJ {d['kpj'] or '-'}: {d['standing_label']}{arrears}"]
        for m in d["months"]:
            when = f" {timezone.localtime(m['paid_at']):%d-%m-%Y} oleh {m['payer']}" if m["paid"] else ""
            rows.append(f"  {m['period']}  {m['state']:<7}{when}")
        return "\n".join(rows)

    return Output(data, human)


def register(commands: Commands) -> None:
    contribution = commands.group("contribution", "contributions (iuran)")
    quote = contribution.add(
        "quote", cmd_contribution_quote, "what a BPU participant owes for one month, with the rules used"
    )
    quote.add_argument("--income", required=True, help="declared monthly income, whole rupiah")
    quote.add_argument("--period", required=True, help="contribution month, YYYY-MM")
    quote.add_argument("--payer-type", required=True,
                       help="mandiri, apbn, apbd_provinsi, apbd_kabkota, apbdes, csr, donor, baznas")  # fmt: skip
    quote.add_argument("--sector", required=True, help="transport or other")
    quote.add_argument("--jht", action="store_true", help="include the optional JHT")
    bill = commands.add(
        "bill", cmd_bill, "bill a month (national): one bill per payer, one line per worker-month"
    )
    bill.add_argument("--period", required=True, help="billing month, YYYY-MM")
    payments = commands.group("payments", "payments")
    pay_import = payments.add(
        "import", cmd_payments_import, "import a bank statement (CSV) and match it to bills"
    )
    pay_import.add_argument("file")
    pay_import.add_argument("--profile", default="jaring", help="the bank's saved column profile")
    coverage = commands.group("coverage", "coverage months")
    cov_show = coverage.add("show", cmd_coverage_show, "a worker's months: paid or not, when, by whom")
    cov_show.add_argument("worker", help="NIK")
    cov_show.add_argument("--months", type=int, default=12)
    cov_show.add_argument("--as-of", default="", help="month to look from, YYYY-MM (default: this month)")
