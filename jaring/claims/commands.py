"""`jaring claim assess|file|disability-table`: the claim rules from the command line."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from jaring.claims.rules import SCHOLARSHIP_TRIGGERS, Aid, ClaimType, Mode, RuleInputError, injury_parse
from jaring.claims.selectors import claim_assess, disability_table, scholarship_outlook
from jaring.claims.services import claim_file, disability_table_load
from jaring.core.cli import Commands, Output
from jaring.core.errors import ErrorCode, FileRejected, ValidationFailed
from jaring.core.selectors import SYSTEM


def _parse(value: str, kind: Callable[[str], Any], code: ErrorCode, field: str, message: str) -> Any:
    try:
        return kind(value)
    except (ValueError, InvalidOperation):
        raise ValidationFailed(message, code=code, field=field) from None


def _claim_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The event as the regulation sees it, from the command line's words; each bad value named."""
    claim = _parse(args.type, ClaimType, ErrorCode.CLAIM_TYPE_UNKNOWN, "type",
                   f"Jenis klaim '{args.type}' tidak dikenal: {', '.join(c.value for c in ClaimType)}.")  # fmt: skip
    event = _parse(args.event_date, dt.date.fromisoformat, ErrorCode.EVENT_DATE_INVALID, "event_date",
                   f"Tanggal kejadian '{args.event_date}' tidak sah (YYYY-MM-DD).")  # fmt: skip
    reported = None
    if args.report_date:
        reported = _parse(args.report_date, dt.datetime.fromisoformat, ErrorCode.REPORT_DATE_INVALID, "report_date",
                          f"Tanggal laporan '{args.report_date}' tidak sah (YYYY-MM-DD atau YYYY-MM-DDTHH:MM).")  # fmt: skip
        reported = reported if timezone.is_aware(reported) else timezone.make_aware(reported)
    mode = (
        _parse(args.mode, Mode, ErrorCode.MODE_UNKNOWN, "mode", "Moda: land, sea atau air.")
        if args.mode
        else None
    )
    percent = (
        _parse(args.percent, Decimal, ErrorCode.PERCENT_INVALID, "percent", "Persentase harus angka.")
        if args.percent
        else None
    )
    try:
        injuries = [injury_parse(text) for text in args.part or []]
    except RuleInputError as exc:
        raise ValidationFailed(str(exc), code=exc.code, field=exc.field) from None
    aid = (
        _parse(args.aid, Aid, ErrorCode.AID_UNKNOWN, "aid", f"Alat bantu: {', '.join(a.value for a in Aid)}.")
        if args.aid
        else None
    )
    diagnosis = (
        _parse(args.diagnosis_date, dt.date.fromisoformat, ErrorCode.DIAGNOSIS_DATE_INVALID, "diagnosis_date",
               f"Tanggal diagnosis '{args.diagnosis_date}' tidak sah (YYYY-MM-DD).")
        if args.diagnosis_date
        else None
    )  # fmt: skip
    return {"claim_type": claim, "event": event, "reported_at": reported, "days": args.days, "percent": percent,
            "mode": mode, "amount": args.amount, "injuries": injuries, "left_handed": args.left_handed, "aid": aid,
            "diagnosis": diagnosis, "occupational_disease": args.occupational_disease}  # fmt: skip


def cmd_claim_file(args: argparse.Namespace) -> Output:
    filed = claim_file(nik=args.nik, viewer=SYSTEM, actor=None, **_claim_arguments(args))
    out = {"id": filed.pk, "number": filed.number, "status": filed.status, "eligible": not filed.refusals,
           "reasons": filed.refusals, "reject_reason": filed.reject_reason, "flags": filed.flags,
           "lines": filed.lines, "total": filed.total}  # fmt: skip
    return Output(out, lambda d: f"Klaim {d['number']}: {d['status']}, Rp {d['total']:,}".replace(",", "."))


def cmd_claim_assess(args: argparse.Namespace) -> Output:
    given = _claim_arguments(args)
    claim, event = given.pop("claim_type"), given["event"]
    given["reported"] = given.pop("reported_at")
    result = claim_assess(nik=args.nik, claim=claim, viewer=SYSTEM, **given)
    data = dataclasses.asdict(result)
    if args.children is not None and claim in SCHOLARSHIP_TRIGGERS:
        data["scholarship"] = scholarship_outlook(worker_id=result.worker_id, event=event, trigger=claim,
                                                  children=args.children)  # fmt: skip

    def human(d: dict[str, Any]) -> str:
        head = (
            "Memenuhi syarat"
            if d["eligible"]
            else "Tidak memenuhi syarat: " + "; ".join(r["message"] for r in d["reasons"])
        )
        rows = [f"  {line['item']}: Rp {line['amount']:,} ({line['basis']})" for line in d["lines"]]
        return "\n".join([head, *rows, f"  Jumlah: Rp {d['total']:,}"]).replace(",", ".")

    return Output(data, human)


def cmd_disability_table(args: argparse.Namespace) -> Output:
    if args.load:
        try:
            with open(args.load, encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise FileRejected(
                f"Berkas {args.load} tidak terbaca: {exc}", code=ErrorCode.FILE_UNREADABLE
            ) from None
        loaded = disability_table_load(rows=rows, actor=None)
        return Output({"loaded": loaded}, lambda d: f"{d['loaded']} baris tabel cacat dimuat")
    on = (
        _parse(
            args.on,
            dt.date.fromisoformat,
            ErrorCode.DATE_INVALID,
            "on",
            f"Tanggal '{args.on}' tidak sah (YYYY-MM-DD).",
        )
        if args.on
        else timezone.localdate()
    )
    items = [dataclasses.asdict(row) for row in disability_table(on=on).values()]
    return Output(
        {"on": on.isoformat(), "items": items},
        lambda d: "\n".join(f"{i['code']:<24} {_rate(i):>14}  {i['part']}" for i in d["items"]),
    )


def _rate(item: dict[str, Any]) -> str:
    if item["step"]:
        return f"{item['percent']} %/{item['step']} {item['unit']}"
    if item["percent_max"] is not None:
        return f"{item['percent']}-{item['percent_max']} %"
    return f"{item['percent']} %"


def _event_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--nik", required=True)
    parser.add_argument("--type", required=True,
                        help="jkm, jkk_death, jkk_total_disability, jkk_partial_disability, jkk_stmb, jkk_transport, "
                             "jkk_medical, jkk_home_care, jkk_aids")  # fmt: skip
    parser.add_argument("--event-date", required=True, help="YYYY-MM-DD")
    parser.add_argument("--diagnosis-date", default="",
                        help="an occupational disease's diagnosis, YYYY-MM-DD: the JKK right runs 5 years from it")  # fmt: skip
    parser.add_argument("--occupational-disease", action="store_true",
                        help="the event is an occupational disease (needs --diagnosis-date)")  # fmt: skip
    parser.add_argument("--report-date", default="", help="when it was reported, YYYY-MM-DD[THH:MM]")
    parser.add_argument(
        "--days", type=int, help="days unable to work (jkk_stmb), days of home care (jkk_home_care)"
    )
    parser.add_argument("--part", action="append",
                        help="body part from the disability table, CODE, CODE:FUNCTION_LOST_PERCENT or CODE=VALUE "
                             "(a range row: the doctor's percentage; a per-step row: the loss measured, e.g. 30 for "
                             "30 dB); repeatable (jkk_partial_disability; codes: jaring claim disability-table)")  # fmt: skip
    parser.add_argument("--aid", default="", help="glasses, hearing, other or prosthesis (jkk_aids)")
    parser.add_argument("--left-handed", action="store_true", help="value left and right hands swapped")
    parser.add_argument(
        "--percent",
        default="",
        help="disability percentage the doctor set for a loss the table does not list",
    )
    parser.add_argument("--mode", default="", help="land, sea or air (jkk_transport)")
    parser.add_argument("--amount", type=int,
                        help="rupiah claimed (jkk_transport, jkk_medical, jkk_home_care, jkk_aids)")  # fmt: skip


def register(commands: Commands) -> None:
    claim = commands.group("claim", "JKK and JKM claims")
    assess = claim.add(
        "assess", cmd_claim_assess, "eligibility and benefit breakdown of one event; records nothing"
    )
    _event_arguments(assess)
    assess.add_argument(
        "--children", type=int, help="children for the scholarship (jkm, jkk_death, total disability)"
    )
    filing = claim.add(
        "file", cmd_claim_file, "record a claim (a refused one is recorded as rejected, with the reason)"
    )
    _event_arguments(filing)
    table = claim.add(
        "disability-table", cmd_disability_table, "the disability table in force, or load a new one"
    )
    table.add_argument("--on", default="", help="the table in force on this day (YYYY-MM-DD), default today")
    table.add_argument(
        "--load", default="", help="load a new version from a CSV file with the shipped columns"
    )
