"""`jaring import FILE`: a worker list staged (and with --commit registered) as a village secretary would."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from jaring.core.cli import EXIT_REJECTED, Commands, Output, UsageError, progress
from jaring.core.errors import JaringError
from jaring.core.selectors import SYSTEM, user_viewer
from jaring.imports.models import BatchStatus
from jaring.imports.selectors import batch_issues
from jaring.imports.services import import_commit, import_stage, import_upload


def _human(d: dict[str, Any]) -> str:
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


def cmd_import(args: argparse.Namespace) -> Output:
    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"jaring import: berkas tidak ada: {path}")
    viewer, actor = SYSTEM, None
    if args.user:
        found = user_viewer(username=args.user)
        if found is None:
            raise UsageError(f"jaring import: pengguna '{args.user}' tidak ada atau tanpa peran")
        actor, viewer = found
    out: dict[str, Any] = {"batch_id": None, "already_uploaded": False, "rows": 0, "accepted": 0, "warnings": 0,
                           "rejected": 0, "duplicates_in_file": 0, "existing_workers": 0, "committed": False,
                           "errors": []}  # fmt: skip
    started = time.perf_counter()
    try:
        with open(path, "rb") as fh:
            upload = import_upload(stream=fh, file_name=path.name, source=args.source,
                                   default_village_code=args.village, viewer=viewer, actor=actor)  # fmt: skip
        batch = upload.batch
        out["batch_id"], out["already_uploaded"] = batch.pk, not upload.created
        batch = import_stage(batch_id=batch.pk, progress=None if args.json else progress)
        if batch.status == BatchStatus.FAILED:
            out["errors"] = [{"sheet": "", "row": 0, "column": "", "code": batch.error_code,
                              "message": batch.error_message}]  # fmt: skip
            out["status"] = batch.status
            return Output(
                out, lambda d: f"Berkas ditolak: {batch.error_message} [{batch.error_code}]", EXIT_REJECTED
            )
        if args.commit:
            batch = import_commit(batch_id=batch.pk, viewer=viewer, actor=actor)
    except JaringError as exc:  # a refused list keeps the import's own document, with the reason as its error
        out["errors"] = [{"sheet": "", "row": 0, "column": "", "code": exc.code, "message": exc.message}]
        text = f"Ditolak: {exc.message} [{exc.code}]"
        return Output(out, lambda d: text, EXIT_REJECTED)
    if not args.json:
        print(file=sys.stderr)
    out.update(
        rows=batch.rows, accepted=batch.accepted, warnings=batch.warnings, rejected=batch.rejected,
        duplicates_in_file=batch.duplicates_in_file, existing_workers=batch.existing_workers,
        committed=batch.status == BatchStatus.COMMITTED, created_workers=batch.created_workers,
        status=batch.status, seconds=round(time.perf_counter() - started, 2),
        errors=[{"sheet": i.sheet, "row": i.row, "column": i.column, "code": i.code, "message": i.message}
                for i in batch_issues(viewer=viewer, batch_id=batch.pk, severity="error", limit=None)],
    )  # fmt: skip
    return Output(out, _human)


def register(commands: Commands) -> None:
    imp = commands.add(
        "import", cmd_import, "stage a worker list (.xlsx, .xls, .csv); with --commit also register it"
    )
    imp.add_argument("file")
    imp.add_argument(
        "--source", required=True, help="where the list comes from, e.g. 'Desa Cangkudu Juni 2026'"
    )
    imp.add_argument("--village", default="", help="village code for rows without one")
    imp.add_argument("--commit", action="store_true")
    imp.add_argument("--user", default="", help="act as this user (default: system administrator)")
