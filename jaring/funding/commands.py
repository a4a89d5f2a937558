"""`jaring sponsor create`, `program create`, `allocate`, `budget plan`, `sponsorship ending`."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

from django.utils import timezone

from jaring.contributions.rules import payer_type_parse
from jaring.core.cli import Commands, Output, list_arg
from jaring.core.errors import ErrorCode, NotFound, ValidationFailed
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.funding import exports
from jaring.funding.selectors import budget_plan, program_summary, sponsor_find, sponsorship_ending
from jaring.funding.services import allocation_run, program_create, sponsor_create


def cmd_sponsor_create(args: argparse.Namespace) -> Output:
    sponsor = sponsor_create(name=args.name, payer_type=args.payer_type, kind=args.kind, region_code=args.region,
                             ref=args.ref, contact=args.contact, viewer=SYSTEM, actor=None)  # fmt: skip
    data = {"id": sponsor.pk, "ref": sponsor.ref, "name": sponsor.name, "payer_type": sponsor.payer_type,
            "region_code": sponsor.region_code}  # fmt: skip
    return Output(data, lambda d: f"Sponsor #{d['id']} {d['name']} ({d['ref']}, {d['payer_type']})")


def cmd_program_create(args: argparse.Namespace) -> Output:
    sponsor = sponsor_find(viewer=SYSTEM, key=args.sponsor)
    if sponsor is None:
        raise NotFound(
            f"Sponsor '{args.sponsor}' tidak ditemukan (kode atau id).", code=ErrorCode.SPONSOR_NOT_FOUND
        )
    program = program_create(
        sponsor_id=sponsor.pk, name=args.name, budget=args.budget, first_period=Period.parse(args.first_period),
        months=args.months, jht=args.jht, frequency=args.frequency, region_codes=list_arg(args.region),
        occupations=list_arg(args.occupation), ecosystems=list_arg(args.ecosystem), age_min=args.age_min,
        age_max=args.age_max, decile_max=args.decile_max, only_uncovered=args.only_uncovered,
        priority=args.priority, max_workers=args.max_workers, viewer=SYSTEM, actor=None,
    )  # fmt: skip
    row = program_summary(viewer=SYSTEM, program_id=program.pk)
    data = {
        **dataclasses.asdict(row),
        "region_codes": program.region_codes.split(",") if program.region_codes else [],
    }
    return Output(data, lambda d: (f"Program #{d['id']} {d['name']}: anggaran Rp {d['budget']:,}, {d['first_period']}"
                                   f"-{d['last_period']}, rekening virtual {d['va_number']}").replace(",", "."))  # fmt: skip


def cmd_allocate(args: argparse.Namespace) -> Output:
    if not args.program and not args.all:
        raise ValidationFailed(
            "Sebutkan --program ID atau --all.", code=ErrorCode.PROGRAM_MISSING, field="program"
        )
    result = allocation_run(program_ids=None if args.all else args.program, viewer=SYSTEM, actor=None,
                            dry_run=args.dry_run)  # fmt: skip
    data = {"run_id": result.run_id, "dry_run": result.dry_run, **result.totals(), "seconds": result.seconds,
            "phases": result.phases, "programs": [dataclasses.asdict(p) for p in result.programs]}  # fmt: skip

    def human(d: dict[str, Any]) -> str:
        head = "Simulasi (tidak disimpan)" if d["dry_run"] else f"Alokasi #{d['run_id']}"
        reasons = ", ".join(
            f"{k} {v:,}" for k, v in {**d["waitlist_reasons"], **d["excluded_reasons"]}.items()
        )
        text = (f"{head}: {d['assigned']:,} didanai ({d['assigned_months']:,} pekerja-bulan), {d['waitlisted']:,} "
                f"daftar tunggu, {d['excluded']:,} tidak memenuhi syarat ({reasons or '-'}); terikat Rp "
                f"{d['budget_committed']:,}, sisa Rp {d['budget_left']:,}; {d['seconds']} detik").replace(",", ".")  # fmt: skip
        why = d["nobody_funded"]
        return text + (f"\n{why['message']} [{why['code']}]" if why else "")

    return Output(data, human)


def cmd_budget_plan(args: argparse.Namespace) -> Output:
    first = Period.parse(args.first_period) if args.first_period else Period.of(timezone.localdate()).plus(1)
    plan = budget_plan(payer_type=payer_type_parse(args.payer_type), months=args.months, first_period=first,
                       workers=args.workers, budget=args.budget, income=args.income, sector=args.sector,
                       jht=args.jht)  # fmt: skip

    def human(d: dict[str, Any]) -> str:
        lines = [
            f"{d['payer_type']}, {d['months']} bulan mulai {d['first_period']}: Rp {d['cost_per_worker']:,} per pekerja"
        ]
        if d["workers"] is not None:
            lines.append(f"{d['workers']:,} pekerja: Rp {d['total']:,}")
        if d["budget"] is not None:
            lines.append(f"Anggaran Rp {d['budget']:,} melindungi {d['workers_covered']:,} pekerja")
        return "\n".join(lines).replace(",", ".")

    return Output(dataclasses.asdict(plan), human)


def cmd_sponsorship_ending(args: argparse.Namespace) -> Output:
    report = sponsorship_ending(viewer=SYSTEM, today=timezone.localdate(), days=args.days, limit=None)
    if args.xlsx:
        Path(args.xlsx).write_bytes(exports.ending_xlsx(report))
    data = {"today": report.today, "days": report.days, "workers": len(report.rows),
            "by_sponsor": [{"sponsor": s, "workers": n} for s, n in report.by_sponsor],
            "by_village": [{"village_code": c, "village": v, "workers": n} for c, v, n in report.by_village],
            "xlsx": args.xlsx or None}  # fmt: skip
    return Output(
        data,
        lambda d: f"{d['workers']:,} pekerja berakhir pendanaannya dalam {d['days']} hari".replace(",", "."),
    )


def register(commands: Commands) -> None:
    sponsor = commands.group("sponsor", "sponsors (who pays for workers)")
    sp_create = sponsor.add(
        "create", cmd_sponsor_create, "register a sponsor: a regency, village, company or donor"
    )
    sp_create.add_argument("--name", required=True)
    sp_create.add_argument("--payer-type", required=True,
                           help="apbn, apbd_provinsi, apbd_kabkota, apbdes, csr, donor, baznas")  # fmt: skip
    sp_create.add_argument("--kind", default="government", help="government, company, organisation, person")
    sp_create.add_argument("--region", default="", help="region code the sponsor works in (empty: anywhere)")
    sp_create.add_argument(
        "--ref", default="", help="short code its users are linked with (default: from the name)"
    )
    sp_create.add_argument("--contact", default="")
    program = commands.group("program", "funding programs")
    pr_create = program.add("create", cmd_program_create, "create a funding program of a sponsor")
    pr_create.add_argument("--sponsor", required=True, help="sponsor code (ref) or id")
    pr_create.add_argument("--name", required=True)
    pr_create.add_argument("--budget", type=int, required=True, help="whole rupiah")
    pr_create.add_argument("--first-period", required=True, help="first contribution month, YYYY-MM")
    pr_create.add_argument("--months", type=int, required=True)
    pr_create.add_argument("--jht", action="store_true", help="also pay the optional JHT")
    pr_create.add_argument("--frequency", type=int, default=1, help="months billed at once: 1, 3, 6 or 12")
    pr_create.add_argument(
        "--region", action="append", help="region code(s) the program covers (repeat or comma)"
    )
    pr_create.add_argument("--occupation", action="append", help="occupation code(s), e.g. petani,nelayan")
    pr_create.add_argument("--ecosystem", action="append", help="desa, pasar, umkm, rentan")
    pr_create.add_argument("--age-min", type=int)
    pr_create.add_argument("--age-max", type=int)
    pr_create.add_argument("--decile-max", type=int, help="highest DTSEN poverty decile funded (1 poorest)")
    pr_create.add_argument("--only-uncovered", action="store_true", help="skip workers paying their own way")
    pr_create.add_argument("--priority", default="poorest", choices=["poorest", "earliest"])
    pr_create.add_argument("--max-workers", type=int)
    allocate = commands.add(
        "allocate", cmd_allocate, "fund eligible workers from programs' budgets (set-based)"
    )
    allocate.add_argument("--program", type=int, action="append", help="program id (repeat for several)")
    allocate.add_argument("--all", action="store_true", help="every active program, by precedence")
    allocate.add_argument("--dry-run", action="store_true", help="show the outcome, keep nothing")
    budget = commands.group("budget", "budget planning")
    plan = budget.add(
        "plan", cmd_budget_plan, "what covering N workers for M months costs, or whom a budget covers"
    )
    plan.add_argument("--workers", type=int)
    plan.add_argument("--budget", type=int, help="whole rupiah: how many workers it covers")
    plan.add_argument("--months", type=int, required=True)
    plan.add_argument("--payer-type", required=True)
    plan.add_argument("--first-period", default="", help="YYYY-MM (default: next month)")
    plan.add_argument("--income", type=int, help="declared income (default: the lowest tier)")
    plan.add_argument("--sector", default="other", choices=["other", "transport"])
    plan.add_argument("--jht", action="store_true")
    sponsorship = commands.group("sponsorship", "sponsored periods")
    ending = sponsorship.add(
        "ending", cmd_sponsorship_ending, "workers whose funded months end soon, with an invitation"
    )
    ending.add_argument("--days", type=int, default=60)
    ending.add_argument("--xlsx", default="", help="also write the list with invitations to this .xlsx file")
