"""`jaring`: the one entry for every batch job and admin task.

Every command that reports takes --json and then prints one JSON document on stdout. Exit status: 0 success,
1 rejected input (the reasons are in the output), 2 usage error. Progress goes to stderr."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jaring.core.errors import ErrorCode

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    import django

    django.setup()


def _default(o: object) -> object:
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    return str(o)


def _emit(args: argparse.Namespace, data: dict[str, Any], human: Callable[[dict[str, Any]], str]) -> None:
    if args.json:
        print(json.dumps(data, default=_default, ensure_ascii=False))
    else:
        print(human(data))


def _progress(phase: str, done: int, total: int) -> None:
    if total:
        print(f"\r{phase}: {done:,}/{total:,} ({100 * done // total}%)", end="", file=sys.stderr, flush=True)
    else:
        print(f"\r{phase}: {done:,} baris", end="", file=sys.stderr, flush=True)


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    started = time.perf_counter()
    from jaring.registry.services import memberships_issue_missing

    call_command("migrate", interactive=False, verbosity=0 if args.json else 1)
    # Databases from before decision 0010 hold workers who never got a card: they get one (idempotent).
    cards = memberships_issue_missing(actor=None)
    _emit(
        args,
        {"migrated": True, "cards_issued": cards, "seconds": round(time.perf_counter() - started, 2)},
        lambda d: (
            "Migrasi selesai."
            + (f" {d['cards_issued']:,} kartu KPJ diterbitkan." if d["cards_issued"] else "")
        ),
    )
    return EXIT_OK


def cmd_memberships_issue(args: argparse.Namespace) -> int:
    from jaring.registry.services import memberships_issue_missing

    cards = memberships_issue_missing(actor=None)
    _emit(args, {"cards_issued": cards}, lambda d: f"{d['cards_issued']:,} kartu KPJ diterbitkan.")
    return EXIT_OK


def cmd_regions_load(args: argparse.Namespace) -> int:
    from jaring.regions.services import regions_load

    result = regions_load(actor=None)
    _emit(
        args,
        dataclasses.asdict(result),
        lambda d: (
            f"{d['regions']:,} kode wilayah, {d['nik_prefixes']:,} prefiks NIK, "
            f"{d['branch_offices']} kantor cabang dimuat dalam {d['seconds']} detik."
        ),
    )
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace) -> int:
    from django.conf import settings

    from jaring.demo.load import demo_load

    result = demo_load(
        workers=args.workers,
        seed=args.seed,
        out_dir=Path(args.out_dir) if args.out_dir else Path(settings.VAR_DIR) / "demo",
        progress=None if args.json else _progress,
    )
    if not args.json:
        print(file=sys.stderr)
    _emit(
        args,
        result,
        lambda d: (
            f"{d['workers_created']:,} pekerja dibuat dari {len(d['lists'])} daftar; berkas di {d['out_dir']}.\n"
            + "\n".join(f"  login {u['username']} / {u['password']}  ({u['role']})" for u in d["users"])
        ),
    )
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from jaring.core.errors import JaringError
    from jaring.core.selectors import SYSTEM, viewer_for
    from jaring.imports.models import BatchStatus, ImportIssue
    from jaring.imports.services import import_commit, import_stage, import_upload

    path = Path(args.file)
    if not path.is_file():
        print(f"jaring import: berkas tidak ada: {path}", file=sys.stderr)
        return EXIT_USAGE
    viewer, actor = SYSTEM, None
    if args.user:
        from django.contrib.auth import get_user_model

        actor = get_user_model().objects.filter(username=args.user).first()
        found = viewer_for(actor)
        if found is None:
            print(f"jaring import: pengguna '{args.user}' tidak ada atau tanpa peran", file=sys.stderr)
            return EXIT_USAGE
        viewer = found
    out: dict[str, Any] = {"batch_id": None, "rows": 0, "accepted": 0, "warnings": 0, "rejected": 0,
                           "duplicates_in_file": 0, "existing_workers": 0, "committed": False, "errors": []}  # fmt: skip
    started = time.perf_counter()
    try:
        with open(path, "rb") as fh:
            upload = import_upload(
                stream=fh, file_name=path.name, source=args.source, default_village_code=args.village,
                viewer=viewer, actor=actor,
            )  # fmt: skip
        batch = upload.batch
        out["batch_id"] = batch.pk
        out["already_uploaded"] = not upload.created
        batch = import_stage(batch_id=batch.pk, progress=None if args.json else _progress)
        if batch.status == BatchStatus.FAILED:
            out["errors"] = [
                {
                    "sheet": "",
                    "row": 0,
                    "column": "",
                    "code": batch.error_code,
                    "message": batch.error_message,
                }
            ]
            out["status"] = batch.status
            _emit(args, out, lambda d: f"Berkas ditolak: {batch.error_message} [{batch.error_code}]")
            return EXIT_REJECTED
        if args.commit:
            batch = import_commit(batch_id=batch.pk, viewer=viewer, actor=actor)
    except JaringError as exc:
        out["errors"] = [{"sheet": "", "row": 0, "column": "", "code": exc.code, "message": exc.message}]
        text = f"Ditolak: {exc.message} [{exc.code}]"
        _emit(args, out, lambda d: text)
        return EXIT_REJECTED
    if not args.json:
        print(file=sys.stderr)
    out.update(
        rows=batch.rows, accepted=batch.accepted, warnings=batch.warnings, rejected=batch.rejected,
        duplicates_in_file=batch.duplicates_in_file, existing_workers=batch.existing_workers,
        committed=batch.status == BatchStatus.COMMITTED, created_workers=batch.created_workers,
        status=batch.status, seconds=round(time.perf_counter() - started, 2),
        errors=[
            {"sheet": i.sheet, "row": i.row, "column": i.column, "code": i.code, "message": i.message}
            for i in ImportIssue.objects.filter(batch_id=batch.pk, severity="error").order_by("row", "id")
        ],
    )  # fmt: skip

    def human(d: dict[str, Any]) -> str:
        lines = [
            f"Batch #{d['batch_id']}{' (berkas ini sudah pernah diunggah)' if d['already_uploaded'] else ''}: "
            f"{d['rows']:,} baris, {d['accepted']:,} diterima ({d['warnings']:,} dengan peringatan), "
            f"{d['rejected']:,} ditolak, {d['duplicates_in_file']:,} NIK ganda dalam berkas, "
            f"{d['existing_workers']:,} sudah terdaftar.",
            "Tersimpan ke registri." if d["committed"] else "Belum disimpan: jalankan lagi dengan --commit.",
        ]
        lines += [
            f"  {e['sheet']}!{e['row']} [{e['column']}] {e['code']}: {e['message']}" for e in d["errors"][:20]
        ]
        if len(d["errors"]) > 20:
            lines.append(f"  ... dan {len(d['errors']) - 20:,} kesalahan lain (gunakan --json)")
        return "\n".join(lines)

    _emit(args, out, human)
    return EXIT_OK


def cmd_worker_show(args: argparse.Namespace) -> int:
    from django.utils.timezone import localtime

    from jaring.core.errors import NotFound
    from jaring.core.selectors import SYSTEM
    from jaring.registry.models import Worker
    from jaring.registry.rules import nik_clean
    from jaring.registry.selectors import worker_get, worker_history

    key = nik_clean(args.worker)
    worker_id = None
    if len(key) == 16 and key.isascii() and key.isdigit():
        worker_id = Worker.objects.filter(nik=key).values_list("id", flat=True).first()
    elif key.isascii() and key.isdigit():
        worker_id = int(key)
    try:
        if worker_id is None:
            raise NotFound("Pekerja tidak ditemukan.")
        detail = worker_get(viewer=SYSTEM, worker_id=worker_id)
        history = worker_history(viewer=SYSTEM, worker_id=worker_id)
    except NotFound as exc:
        text = f"{exc.message} [{exc.code}]"
        _emit(args, {"error": exc.as_dict()}, lambda d: text)
        return EXIT_REJECTED
    data = dataclasses.asdict(detail)
    data["memberships"] = [
        {"kpj": m.kpj, "status": m.status, "registered_at": m.registered_at} for m in detail.memberships
    ]
    data["history"] = [dataclasses.asdict(h) for h in history]

    def human(d: dict[str, Any]) -> str:
        r = d["row"]
        return "\n".join(
            [
                f"{r['full_name']} (id {r['id']}, NIK {r['nik'] or '-'}, KPJ {r['kpj'] or '-'})",
                f"  lahir {d['birth_place']} {r['birth_date']}, {r['sex']}, {r['occupation_label']}",
                f"  {r['village_name']}, {d['district_name']}, {d['regency_name']}, {d['province_name']}",
                *[
                    f"  {localtime(h['at']):%Y-%m-%d %H:%M} {h['actor']} {h['action']} {h['changes']}"
                    for h in d["history"]
                ],
            ]
        )

    _emit(args, data, human)
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace) -> int:
    from jaring.core.errors import JaringError, NotFound
    from jaring.core.rules import ROLE_LABELS, Role
    from jaring.core.services import user_create
    from jaring.funding.models import Sponsor

    try:
        if args.sponsor and not Sponsor.objects.filter(ref=args.sponsor).exists():
            raise NotFound(
                f"Sponsor '{args.sponsor}' tidak dikenal.", code=ErrorCode.SPONSOR_NOT_FOUND, field="sponsor"
            )
        user, password = user_create(
            username=args.username, role=Role(args.role), region_code=args.region, branch_code=args.branch,
            sponsor_ref=args.sponsor, actor=None,
        )  # fmt: skip
    except JaringError as exc:
        text = f"Ditolak: {exc.message} [{exc.code}]"
        _emit(args, {"error": exc.as_dict()}, lambda d: text)
        return EXIT_REJECTED
    data = {"username": user.get_username(), "role": args.role, "region": args.region, "branch": args.branch,
            "password": password}  # fmt: skip
    _emit(
        args,
        data,
        lambda d: (
            f"Pengguna {d['username']} ({ROLE_LABELS[Role(args.role)]}) dibuat. Kata sandi awal: {d['password']}"
            " (tampil sekali; minta pengguna menggantinya)."
        ),
    )
    return EXIT_OK


def cmd_contribution_quote(args: argparse.Namespace) -> int:
    from jaring.contributions.rules import payer_type_parse
    from jaring.contributions.selectors import contribution_quote
    from jaring.core.errors import JaringError, ValidationFailed
    from jaring.core.types import Period, whole_number

    try:
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
    except JaringError as exc:
        text = f"Ditolak: {exc.message} [{exc.code}]"
        _emit(args, {"error": exc.as_dict()}, lambda d: text)
        return EXIT_REJECTED
    due = quote.due
    data = {"jkk": due.jkk, "jkm": due.jkm, "jht": due.jht, "total": due.total, "period": args.period,
            "payer_type": args.payer_type, "sector": args.sector, "income": income, "rules": quote.rows}  # fmt: skip

    def rp(n: int) -> str:
        return f"Rp {n:,}".replace(",", ".")

    _emit(
        args,
        data,
        lambda d: (
            f"{d['period']} {d['payer_type']} {d['sector']}: JKK {rp(d['jkk'])} + JKM {rp(d['jkm'])} + "
            f"JHT {rp(d['jht'])} = {rp(d['total'])}\n"
            + "\n".join(f"  {r['rule']} #{r['id']}: {r['source']}" for r in d["rules"])
        ),
    )
    return EXIT_OK


def cmd_bill(args: argparse.Namespace) -> int:
    from jaring.contributions.services import billing_run
    from jaring.core.errors import JaringError
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period

    try:
        result = billing_run(period=Period.parse(args.period), viewer=SYSTEM, actor=None)
    except JaringError as exc:
        text = f"Ditolak: {exc.message} [{exc.code}]"
        _emit(args, {"error": exc.as_dict()}, lambda d: text)
        return EXIT_REJECTED
    run = result.run
    data = {"run_id": run.pk, "period": args.period, "scope": run.scope or "national", "bills": result.bills, "lines": result.lines,
            "amount_total": result.amount_total, "lapsed_lines": run.lapsed_lines,
            "memberships_ended": run.memberships_ended, "settled_from_credit": result.settled_lines,
            "seconds": result.seconds}  # fmt: skip
    _emit(
        args,
        data,
        lambda d: (
            f"Penagihan {d['period']}: {d['bills']:,} tagihan, {d['lines']:,} peserta-bulan, "
            f"Rp {d['amount_total']:,}; {d['memberships_ended']:,} kepesertaan berakhir; {d['seconds']} detik."
        ).replace(",", "."),
    )
    return EXIT_OK


def cmd_payments_import(args: argparse.Namespace) -> int:
    from jaring.contributions.services import statement_import
    from jaring.core.errors import JaringError
    from jaring.core.selectors import SYSTEM

    path = Path(args.file)
    if not path.is_file():
        print(f"jaring payments import: berkas tidak ada: {path}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    try:
        with path.open("rb") as fh:
            result = statement_import(stream=fh, file_name=path.name, profile_name=args.profile, viewer=SYSTEM,
                                      actor=None)  # fmt: skip
    except JaringError as exc:
        text = f"Ditolak: {exc.message} [{exc.code}]"
        _emit(args, {"error": exc.as_dict()}, lambda d: text)
        return EXIT_REJECTED
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

    _emit(args, data, human)
    return EXIT_REJECTED if result.problems else EXIT_OK


def cmd_coverage_show(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from jaring.contributions.selectors import coverage_get
    from jaring.core.errors import JaringError, NotFound
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period
    from jaring.registry.models import Worker
    from jaring.registry.rules import nik_clean

    key = nik_clean(args.worker)
    worker_id = (
        Worker.objects.filter(nik=key).values_list("id", flat=True).first() if len(key) == 16 else None
    )
    try:
        if worker_id is None:
            raise NotFound("Pekerja dengan NIK itu tidak ditemukan.", code=ErrorCode.WORKER_NOT_FOUND)
        as_of = Period.parse(args.as_of) if args.as_of else Period.of(timezone.localdate())
        found = coverage_get(viewer=SYSTEM, worker_id=worker_id, as_of=as_of, months=args.months)
    except JaringError as exc:
        text = f"{exc.message} [{exc.code}]"
        _emit(args, {"error": exc.as_dict()}, lambda d: text)
        return EXIT_REJECTED
    data = dataclasses.asdict(found)
    for month in data["months"]:
        month["paid"] = month["state"] == "paid"
        month["payer"] = month.pop("payer_name")

    def human(d: dict[str, Any]) -> str:
        rows = [
            f"KPJ {d['kpj'] or '-'}: {d['standing_label']}"
            + (
                f", tunggakan {len(d['arrears'])} bulan Rp {d['arrears_amount']:,}".replace(",", ".")
                if d["arrears"]
                else ""
            )
        ]
        for m in d["months"]:
            when = f" {timezone.localtime(m['paid_at']):%d-%m-%Y} oleh {m['payer']}" if m["paid"] else ""
            rows.append(f"  {m['period']}  {m['state']:<7}{when}")
        return "\n".join(rows)  # fmt: skip

    _emit(args, data, human)
    return EXIT_OK


def _rejected(args: argparse.Namespace, exc: Any) -> int:
    text = f"Ditolak: {exc.message} [{exc.code}]"
    _emit(args, {"error": exc.as_dict()}, lambda d: text)
    return EXIT_REJECTED


def _list_arg(values: Sequence[str] | None) -> list[str]:
    """--region 36.03 --region 36.01 or --region 36.03,36.01."""
    return [part.strip() for v in values or [] for part in v.split(",") if part.strip()]


def cmd_sponsor_create(args: argparse.Namespace) -> int:
    from jaring.core.errors import JaringError
    from jaring.core.selectors import SYSTEM
    from jaring.funding.services import sponsor_create

    try:
        sponsor = sponsor_create(name=args.name, payer_type=args.payer_type, kind=args.kind, region_code=args.region,
                                 ref=args.ref, contact=args.contact, viewer=SYSTEM, actor=None)  # fmt: skip
    except JaringError as exc:
        return _rejected(args, exc)
    data = {"id": sponsor.pk, "ref": sponsor.ref, "name": sponsor.name, "payer_type": sponsor.payer_type,
            "region_code": sponsor.region_code}  # fmt: skip
    _emit(args, data, lambda d: f"Sponsor #{d['id']} {d['name']} ({d['ref']}, {d['payer_type']})")
    return EXIT_OK


def cmd_program_create(args: argparse.Namespace) -> int:
    from jaring.core.errors import JaringError, NotFound
    from jaring.core.selectors import SYSTEM
    from jaring.core.types import Period
    from jaring.funding.models import Sponsor
    from jaring.funding.selectors import program_summary
    from jaring.funding.services import program_create

    try:
        sponsor = Sponsor.objects.filter(ref=args.sponsor).first()
        if sponsor is None and args.sponsor.isdigit():
            sponsor = Sponsor.objects.filter(pk=int(args.sponsor)).first()
        if sponsor is None:
            raise NotFound(
                f"Sponsor '{args.sponsor}' tidak ditemukan (kode atau id).", code=ErrorCode.SPONSOR_NOT_FOUND
            )
        program = program_create(
            sponsor_id=sponsor.pk, name=args.name, budget=args.budget, first_period=Period.parse(args.first_period),
            months=args.months, jht=args.jht, frequency=args.frequency, region_codes=_list_arg(args.region),
            occupations=_list_arg(args.occupation), ecosystems=_list_arg(args.ecosystem), age_min=args.age_min,
            age_max=args.age_max, decile_max=args.decile_max, only_uncovered=args.only_uncovered,
            priority=args.priority, max_workers=args.max_workers, viewer=SYSTEM, actor=None,
        )  # fmt: skip
    except JaringError as exc:
        return _rejected(args, exc)
    row = program_summary(viewer=SYSTEM, program_id=program.pk)
    data = {
        **dataclasses.asdict(row),
        "region_codes": program.region_codes.split(",") if program.region_codes else [],
    }
    _emit(args, data, lambda d: (f"Program #{d['id']} {d['name']}: anggaran Rp {d['budget']:,}, {d['first_period']}"
                                 f"-{d['last_period']}, rekening virtual {d['va_number']}").replace(",", "."))  # fmt: skip
    return EXIT_OK


def cmd_allocate(args: argparse.Namespace) -> int:
    from jaring.core.errors import JaringError, ValidationFailed
    from jaring.core.selectors import SYSTEM
    from jaring.funding.services import allocation_run

    try:
        if not args.program and not args.all:
            raise ValidationFailed(
                "Sebutkan --program ID atau --all.", code=ErrorCode.PROGRAM_MISSING, field="program"
            )
        result = allocation_run(program_ids=None if args.all else args.program, viewer=SYSTEM, actor=None,
                                dry_run=args.dry_run)  # fmt: skip
    except JaringError as exc:
        return _rejected(args, exc)
    data = {"run_id": result.run_id, "dry_run": result.dry_run, **result.totals(), "seconds": result.seconds,
            "phases": result.phases, "programs": [dataclasses.asdict(p) for p in result.programs]}  # fmt: skip

    def human(d: dict[str, Any]) -> str:
        head = "Simulasi (tidak disimpan)" if d["dry_run"] else f"Alokasi #{d['run_id']}"
        reasons = ", ".join(
            f"{k} {v:,}" for k, v in {**d["waitlist_reasons"], **d["excluded_reasons"]}.items()
        )
        return (f"{head}: {d['assigned']:,} didanai ({d['assigned_months']:,} pekerja-bulan), {d['waitlisted']:,} "
                f"daftar tunggu, {d['excluded']:,} tidak memenuhi syarat ({reasons or '-'}); terikat Rp "
                f"{d['budget_committed']:,}, sisa Rp {d['budget_left']:,}; {d['seconds']} detik").replace(",", ".") + (
                f"\n{d['nobody_funded']['message']} [{d['nobody_funded']['code']}]" if d["nobody_funded"] else "")  # fmt: skip

    _emit(args, data, human)
    return EXIT_OK


def cmd_dedupe(args: argparse.Namespace) -> int:
    from jaring.core.errors import JaringError, NotFound
    from jaring.imports.models import BatchStatus, ImportBatch
    from jaring.linkage.services import dedupe_run

    try:
        if (
            args.batch is not None
            and not ImportBatch.objects.filter(pk=args.batch, status=BatchStatus.COMMITTED).exists()
        ):
            raise NotFound(f"Batch impor {args.batch} tidak ada atau belum disimpan.", code=ErrorCode.BATCH_NOT_FOUND,
                           field="batch")  # fmt: skip
        run = dedupe_run(batch_id=args.batch, retrain=args.retrain, actor=None)
    except JaringError as exc:
        return _rejected(args, exc)
    data = {"run_id": run.pk, "batch": args.batch, "records": run.records, "pairs_found": run.pairs_found,
            "proposed": run.proposed, "auto_merged": run.auto_merged, "seconds": round(run.seconds, 2),
            "model_id": run.model_id}  # fmt: skip
    _emit(args, data, lambda d: (f"{d['pairs_found']:,} pasangan ditemukan, {d['proposed']:,} baru diusulkan, "
                                 f"{d['auto_merged']:,} digabung otomatis; {d['seconds']} detik").replace(",", "."))  # fmt: skip
    return EXIT_OK


def cmd_duplicates_list(args: argparse.Namespace) -> int:
    from jaring.core.selectors import SYSTEM
    from jaring.linkage.selectors import duplicates_list

    pairs = duplicates_list(viewer=SYSTEM, limit=args.limit)

    def human(d: dict[str, Any]) -> str:
        rows = [f"{p['probability']:.3f}  {p['workers'][0]['name']} ({p['workers'][0]['id']})  ~  "
                f"{p['workers'][1]['name']} ({p['workers'][1]['id']})" for p in d["pairs"]]  # fmt: skip
        return "\n".join(rows) or "Tidak ada pasangan yang menunggu."

    _emit(args, {"pairs": pairs}, human)
    return EXIT_OK


def cmd_budget_plan(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from jaring.contributions.rules import payer_type_parse
    from jaring.core.errors import JaringError
    from jaring.core.types import Period
    from jaring.funding.selectors import budget_plan

    try:
        first = (
            Period.parse(args.first_period) if args.first_period else Period.of(timezone.localdate()).plus(1)
        )
        plan = budget_plan(payer_type=payer_type_parse(args.payer_type), months=args.months, first_period=first,
                           workers=args.workers, budget=args.budget, income=args.income, sector=args.sector,
                           jht=args.jht)  # fmt: skip
    except JaringError as exc:
        return _rejected(args, exc)

    def human(d: dict[str, Any]) -> str:
        lines = [
            f"{d['payer_type']}, {d['months']} bulan mulai {d['first_period']}: Rp {d['cost_per_worker']:,} per pekerja"
        ]
        if d["workers"] is not None:
            lines.append(f"{d['workers']:,} pekerja: Rp {d['total']:,}")
        if d["budget"] is not None:
            lines.append(f"Anggaran Rp {d['budget']:,} melindungi {d['workers_covered']:,} pekerja")
        return "\n".join(lines).replace(",", ".")

    _emit(args, dataclasses.asdict(plan), human)
    return EXIT_OK


def cmd_sponsorship_ending(args: argparse.Namespace) -> int:
    from django.utils import timezone

    from jaring.core.errors import JaringError
    from jaring.core.selectors import SYSTEM
    from jaring.funding import exports
    from jaring.funding.selectors import sponsorship_ending

    try:
        report = sponsorship_ending(viewer=SYSTEM, today=timezone.localdate(), days=args.days, limit=None)
    except JaringError as exc:
        return _rejected(args, exc)
    if args.xlsx:
        Path(args.xlsx).write_bytes(exports.ending_xlsx(report))
    data = {"today": report.today, "days": report.days, "workers": len(report.rows),
            "by_sponsor": [{"sponsor": s, "workers": n} for s, n in report.by_sponsor],
            "by_village": [{"village_code": c, "village": v, "workers": n} for c, v, n in report.by_village],
            "xlsx": args.xlsx or None}  # fmt: skip
    _emit(
        args,
        data,
        lambda d: f"{d['workers']:,} pekerja berakhir pendanaannya dalam {d['days']} hari".replace(",", "."),
    )
    return EXIT_OK


def cmd_claim_assess(args: argparse.Namespace) -> int:
    from decimal import Decimal, InvalidOperation

    from jaring.claims.rules import (
        SCHOLARSHIP_TRIGGERS,
        ClaimType,
        Mode,
        RuleInputError,
        injury_parse,
        scholarship_children_eligible,
    )
    from jaring.claims.selectors import claim_assess, claim_facts
    from jaring.claims.services import claim_file
    from jaring.core.errors import JaringError, ValidationFailed
    from jaring.core.selectors import SYSTEM

    def parse(value: str, kind: Any, code: str, field: str, message: str) -> Any:
        try:
            return kind(value)
        except (ValueError, InvalidOperation):
            raise ValidationFailed(message, code=code, field=field) from None

    try:
        claim = parse(
            args.type,
            ClaimType,
            "CLAIM_TYPE_UNKNOWN",
            "type",
            f"Jenis klaim '{args.type}' tidak dikenal: {', '.join(c.value for c in ClaimType)}.",
        )
        event = parse(
            args.event_date,
            dt.date.fromisoformat,
            "EVENT_DATE_INVALID",
            "event_date",
            f"Tanggal kejadian '{args.event_date}' tidak sah (YYYY-MM-DD).",
        )
        reported = None
        if args.report_date:
            reported = parse(
                args.report_date,
                dt.datetime.fromisoformat,
                "REPORT_DATE_INVALID",
                "report_date",
                f"Tanggal laporan '{args.report_date}' tidak sah (YYYY-MM-DD atau YYYY-MM-DDTHH:MM).",
            )
            from django.utils import timezone

            reported = reported if timezone.is_aware(reported) else timezone.make_aware(reported)
        mode = (
            parse(args.mode, Mode, "MODE_UNKNOWN", "mode", "Moda: land, sea atau air.") if args.mode else None
        )
        percent = (
            parse(args.percent, Decimal, "PERCENT_INVALID", "percent", "Persentase harus angka.")
            if args.percent
            else None
        )
        try:
            injuries = [injury_parse(text) for text in args.part or []]
        except RuleInputError as exc:
            raise ValidationFailed(str(exc), code=exc.code, field=exc.field) from None
        extra = {"injuries": injuries, "left_handed": args.left_handed}
        if args.sub == "file":
            filed = claim_file(nik=args.nik, claim_type=claim, event=event, reported_at=reported, days=args.days,
                               percent=percent, mode=mode, amount=args.amount, viewer=SYSTEM, actor=None, **extra)  # fmt: skip
            out = {"id": filed.pk, "number": filed.number, "status": filed.status, "eligible": not filed.refusals,
                   "reasons": filed.refusals, "reject_reason": filed.reject_reason, "flags": filed.flags,
                   "lines": filed.lines, "total": filed.total}  # fmt: skip
            _emit(
                args,
                out,
                lambda d: f"Klaim {d['number']}: {d['status']}, Rp {d['total']:,}".replace(",", "."),
            )
            return EXIT_OK
        result = claim_assess(nik=args.nik, claim=claim, event=event, viewer=SYSTEM, reported=reported,
                              days=args.days, percent=percent, mode=mode, amount=args.amount, **extra)  # fmt: skip
    except JaringError as exc:
        return _rejected(args, exc)
    data = dataclasses.asdict(result)
    if args.children is not None and claim in SCHOLARSHIP_TRIGGERS:
        months = claim_facts(worker_id=result.worker_id, event=event).paid_months
        eligible, refusal = scholarship_children_eligible(
            trigger=claim, paid_months=months, children=args.children
        )
        data["scholarship"] = {"children_eligible": eligible, "paid_months": months,
                               "reason": refusal.value if refusal else ""}  # fmt: skip

    def human(d: dict[str, Any]) -> str:
        head = (
            "Memenuhi syarat"
            if d["eligible"]
            else "Tidak memenuhi syarat: " + "; ".join(r["message"] for r in d["reasons"])
        )
        rows = [f"  {line['item']}: Rp {line['amount']:,} ({line['basis']})" for line in d["lines"]]
        return "\n".join([head, *rows, f"  Jumlah: Rp {d['total']:,}"]).replace(",", ".")

    _emit(args, data, human)
    return EXIT_OK


def cmd_disability_table(args: argparse.Namespace) -> int:
    import csv

    from django.utils import timezone

    from jaring.claims.selectors import disability_table
    from jaring.claims.services import disability_table_load
    from jaring.core.errors import FileRejected, JaringError, ValidationFailed

    try:
        if args.load:
            try:
                with open(args.load, encoding="utf-8-sig", newline="") as handle:
                    rows = list(csv.DictReader(handle))
            except (OSError, UnicodeDecodeError, csv.Error) as exc:
                raise FileRejected(
                    f"Berkas {args.load} tidak terbaca: {exc}", code=ErrorCode.FILE_UNREADABLE
                ) from None
            loaded = disability_table_load(rows=rows, actor=None)
            _emit(args, {"loaded": loaded}, lambda d: f"{d['loaded']} baris tabel cacat dimuat")
            return EXIT_OK
        try:
            on = dt.date.fromisoformat(args.on) if args.on else timezone.localdate()
        except ValueError:
            raise ValidationFailed(f"Tanggal '{args.on}' tidak sah (YYYY-MM-DD).", code=ErrorCode.DATE_INVALID,
                                   field="on") from None  # fmt: skip
    except JaringError as exc:
        return _rejected(args, exc)
    items = [dataclasses.asdict(row) for row in disability_table(on=on).values()]
    _emit(
        args,
        {"on": on.isoformat(), "items": items},
        lambda d: "\n".join(f"{i['code']:<24} {i['percent']:>5} %  {i['part']}" for i in d["items"]),
    )
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    import subprocess

    from django.core.management import call_command

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("jaring serve: listens on loopback only (127.0.0.1)", file=sys.stderr)
        return EXIT_USAGE
    os.environ["JARING_SERVE_STATIC"] = "1"
    worker = subprocess.Popen([sys.executable, "-m", "jaring.cli", "tasks-worker"])
    try:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    finally:
        worker.terminate()
    return EXIT_OK


def cmd_tasks_worker(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("db_worker", interval=0.5, verbosity=0)
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jaring manage", *args.rest])
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jaring", description="Jaring: perlindungan jaminan sosial pekerja rentan."
    )
    sub = p.add_subparsers(dest="command", required=True)

    def add(
        name: str, fn: Callable[[argparse.Namespace], int], help_text: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        sp = parent.add_parser(name, help=help_text, description=help_text)
        sp.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        sp.set_defaults(func=fn)
        return sp

    add("migrate", cmd_migrate, "create or update the database tables")
    regions = sub.add_parser("regions", help="Kemendagri region codes").add_subparsers(
        dest="sub", required=True
    )
    add(
        "load",
        cmd_regions_load,
        "load the shipped 2025 region codes, NIK prefixes and branch offices",
        regions,
    )
    demo = add(
        "demo-data", cmd_demo_data, "generate realistic synthetic workers and worker lists, and import them"
    )
    demo.add_argument("--workers", type=int, default=5000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--out-dir", default="", help="where the lists are written (default: JARING_VAR_DIR/demo)"
    )
    imp = add("import", cmd_import, "stage a worker list (.xlsx, .xls, .csv); with --commit also register it")
    imp.add_argument("file")
    imp.add_argument(
        "--source", required=True, help="where the list comes from, e.g. 'Desa Cangkudu Juni 2026'"
    )
    imp.add_argument("--village", default="", help="village code for rows without one")
    imp.add_argument("--commit", action="store_true")
    imp.add_argument("--user", default="", help="act as this user (default: system administrator)")
    memberships = sub.add_parser("memberships", help="membership cards (KPJ)").add_subparsers(
        dest="sub", required=True
    )
    add(
        "issue",
        cmd_memberships_issue,
        "issue a card to every worker that never had one (idempotent)",
        memberships,
    )
    worker = sub.add_parser("worker", help="workers").add_subparsers(dest="sub", required=True)
    show = add(
        "show", cmd_worker_show, "show one worker (by NIK or id) with the history of every change", worker
    )
    show.add_argument("worker")
    users = sub.add_parser("user", help="logins and their roles").add_subparsers(dest="sub", required=True)
    user_add = add("add", cmd_user_add, "create a login with a role and its region or branch", users)
    user_add.add_argument("username")
    user_add.add_argument(
        "--role", required=True, choices=["admin", "branch", "region", "village", "agent", "sponsor"]
    )
    user_add.add_argument(
        "--region", default="", help="region code: province/regency (region), village (village)"
    )
    user_add.add_argument("--branch", default="", help="branch office code (branch), e.g. KC-TGR-CKP")
    user_add.add_argument("--sponsor", default="", help="sponsor code (sponsor), e.g. pt-contoh-tbk")
    contribution = sub.add_parser("contribution", help="contributions (iuran)").add_subparsers(
        dest="sub", required=True
    )
    quote = add(
        "quote",
        cmd_contribution_quote,
        "what a BPU participant owes for one month, with the rules used",
        contribution,
    )
    quote.add_argument("--income", required=True, help="declared monthly income, whole rupiah")
    quote.add_argument("--period", required=True, help="contribution month, YYYY-MM")
    quote.add_argument(
        "--payer-type",
        required=True,
        help="mandiri, apbn, apbd_provinsi, apbd_kabkota, apbdes, csr, donor, baznas",
    )
    quote.add_argument("--sector", required=True, help="transport or other")
    quote.add_argument("--jht", action="store_true", help="include the optional JHT")
    bill = add("bill", cmd_bill, "bill a month: one bill per payer, one line per worker-month")
    bill.add_argument("--period", required=True, help="billing month, YYYY-MM")
    payments = sub.add_parser("payments", help="payments").add_subparsers(dest="sub", required=True)
    pay_import = add(
        "import", cmd_payments_import, "import a bank statement (CSV) and match it to bills", payments
    )
    pay_import.add_argument("file")
    pay_import.add_argument("--profile", default="jaring", help="the bank's saved column profile")
    coverage = sub.add_parser("coverage", help="coverage months").add_subparsers(dest="sub", required=True)
    cov_show = add("show", cmd_coverage_show, "a worker's months: paid or not, when, by whom", coverage)
    cov_show.add_argument("worker", help="NIK")
    cov_show.add_argument("--months", type=int, default=12)
    cov_show.add_argument("--as-of", default="", help="month to look from, YYYY-MM (default: this month)")
    sponsor = sub.add_parser("sponsor", help="sponsors (who pays for workers)").add_subparsers(
        dest="sub", required=True
    )
    sp_create = add(
        "create", cmd_sponsor_create, "register a sponsor: a regency, village, company or donor", sponsor
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
    program = sub.add_parser("program", help="funding programs").add_subparsers(dest="sub", required=True)
    pr_create = add("create", cmd_program_create, "create a funding program of a sponsor", program)
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
    allocate = add("allocate", cmd_allocate, "fund eligible workers from programs' budgets (set-based)")
    allocate.add_argument("--program", type=int, action="append", help="program id (repeat for several)")
    allocate.add_argument("--all", action="store_true", help="every active program, by precedence")
    allocate.add_argument("--dry-run", action="store_true", help="show the outcome, keep nothing")
    dedupe = add("dedupe", cmd_dedupe, "find duplicate workers (Splink) and queue them for review")
    dedupe.add_argument("--batch", type=int, help="check one committed import batch against the registry")
    dedupe.add_argument("--retrain", action="store_true", help="train the model on the registry again first")
    duplicates = sub.add_parser("duplicates", help="the duplicate review queue").add_subparsers(
        dest="sub", required=True
    )
    listing = add(
        "list", cmd_duplicates_list, "open pairs with their probability and both workers", duplicates
    )
    listing.add_argument("--limit", type=int, default=10_000)
    budget = sub.add_parser("budget", help="budget planning").add_subparsers(dest="sub", required=True)
    plan = add(
        "plan", cmd_budget_plan, "what covering N workers for M months costs, or whom a budget covers", budget
    )
    plan.add_argument("--workers", type=int)
    plan.add_argument("--budget", type=int, help="whole rupiah: how many workers it covers")
    plan.add_argument("--months", type=int, required=True)
    plan.add_argument("--payer-type", required=True)
    plan.add_argument("--first-period", default="", help="YYYY-MM (default: next month)")
    plan.add_argument("--income", type=int, help="declared income (default: the lowest tier)")
    plan.add_argument("--sector", default="other", choices=["other", "transport"])
    plan.add_argument("--jht", action="store_true")
    sponsorship = sub.add_parser("sponsorship", help="sponsored periods").add_subparsers(
        dest="sub", required=True
    )
    ending = add(
        "ending",
        cmd_sponsorship_ending,
        "workers whose funded months end soon, with an invitation",
        sponsorship,
    )
    ending.add_argument("--days", type=int, default=60)
    ending.add_argument("--xlsx", default="", help="also write the list with invitations to this .xlsx file")
    claim = sub.add_parser("claim", help="JKK and JKM claims").add_subparsers(dest="sub", required=True)
    assess = add(
        "assess", cmd_claim_assess, "eligibility and benefit breakdown of one event; records nothing", claim
    )
    assess.add_argument("--nik", required=True)
    assess.add_argument(
        "--type",
        required=True,
        help="jkm, jkk_death, jkk_total_disability, jkk_partial_disability, "
        "jkk_stmb, jkk_transport, jkk_medical",
    )
    assess.add_argument("--event-date", required=True, help="YYYY-MM-DD")
    assess.add_argument("--report-date", default="", help="when it was reported, YYYY-MM-DD[THH:MM]")
    assess.add_argument("--days", type=int, help="days unable to work (jkk_stmb)")
    assess.add_argument(
        "--part",
        action="append",
        help="body part from the disability table, CODE or CODE:FUNCTION_LOST_PERCENT; repeatable "
        "(jkk_partial_disability; codes: jaring claim disability-table)",
    )
    assess.add_argument("--left-handed", action="store_true", help="value left and right hands swapped")
    assess.add_argument(
        "--percent",
        default="",
        help="disability percentage the doctor set for a loss the table does not list",
    )
    assess.add_argument("--mode", default="", help="land, sea or air (jkk_transport)")
    assess.add_argument("--amount", type=int, help="rupiah claimed (jkk_transport, jkk_medical)")
    assess.add_argument(
        "--children", type=int, help="children for the scholarship (jkm, jkk_death, total disability)"
    )
    filing = add("file", cmd_claim_assess, "record a claim (a refused one is recorded as rejected, with the reason)",
                 claim)  # fmt: skip
    for action in assess._actions:  # the same arguments as assess
        if action.dest not in ("help", "json", "children"):
            filing._add_action(action)
    filing.set_defaults(children=None)
    table = add(
        "disability-table", cmd_disability_table, "the disability table in force, or load a new one", claim
    )
    table.add_argument("--on", default="", help="the table in force on this day (YYYY-MM-DD), default today")
    table.add_argument(
        "--load", default="", help="load a new version from a CSV file with the shipped columns"
    )
    serve = add("serve", cmd_serve, "serve the web app on 127.0.0.1 with a background task worker")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    add("tasks-worker", cmd_tasks_worker, "run background tasks (imports) from the database queue")
    manage = sub.add_parser("manage", help="any Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage, json=False)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup()
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
