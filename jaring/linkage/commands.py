"""`jaring dedupe` and `jaring duplicates list`: duplicate detection from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from jaring.core.cli import Commands, Output
from jaring.core.errors import ErrorCode, NotFound
from jaring.core.selectors import SYSTEM
from jaring.linkage.selectors import duplicates_list
from jaring.linkage.services import dedupe_run
from jaring.registry.selectors import batch_registered


def cmd_dedupe(args: argparse.Namespace) -> Output:
    if args.batch is not None and not batch_registered(batch_id=args.batch):
        raise NotFound(f"Batch impor {args.batch} tidak ada, belum disimpan, atau tidak menambah pekerja baru.",
                       code=ErrorCode.BATCH_NOT_FOUND, field="batch")  # fmt: skip
    run = dedupe_run(batch_id=args.batch, retrain=args.retrain, actor=None)
    data = {"run_id": run.pk, "batch": args.batch, "records": run.records, "pairs_found": run.pairs_found,
            "proposed": run.proposed, "auto_merged": run.auto_merged, "seconds": round(run.seconds, 2),
            "model_id": run.model_id}  # fmt: skip
    return Output(data, lambda d: (f"{d['pairs_found']:,} pasangan ditemukan, {d['proposed']:,} baru diusulkan, "
                                   f"{d['auto_merged']:,} digabung otomatis; {d['seconds']} detik").replace(",", "."))  # fmt: skip


def cmd_duplicates_list(args: argparse.Namespace) -> Output:
    pairs = duplicates_list(viewer=SYSTEM, limit=args.limit)

    def human(d: dict[str, Any]) -> str:
        rows = [f"{p['probability']:.3f}  {p['workers'][0]['name']} ({p['workers'][0]['id']})  ~  "
                f"{p['workers'][1]['name']} ({p['workers'][1]['id']})" for p in d["pairs"]]  # fmt: skip
        return "\n".join(rows) or "Tidak ada pasangan yang menunggu."

    return Output({"pairs": pairs}, human)


def register(commands: Commands) -> None:
    dedupe = commands.add("dedupe", cmd_dedupe, "find duplicate workers (Splink) and queue them for review")
    dedupe.add_argument("--batch", type=int, help="check one committed import batch against the registry")
    dedupe.add_argument("--retrain", action="store_true", help="train the model on the registry again first")
    duplicates = commands.group("duplicates", "the duplicate review queue")
    listing = duplicates.add(
        "list", cmd_duplicates_list, "open pairs with their probability and both workers"
    )
    listing.add_argument("--limit", type=int, default=10_000)
