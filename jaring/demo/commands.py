"""`jaring demo-data`: the realistic synthetic data set, through the real intake."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from django.conf import settings

from jaring.core.cli import Commands, Output, progress
from jaring.demo.load import demo_load


def cmd_demo_data(args: argparse.Namespace) -> Output:
    out_dir = Path(args.out_dir) if args.out_dir else Path(settings.VAR_DIR) / "demo"
    result = demo_load(
        workers=args.workers, seed=args.seed, out_dir=out_dir, progress=None if args.json else progress
    )
    if not args.json:
        print(file=sys.stderr)
    return Output(
        result,
        lambda d: (
            f"{d['workers_created']:,} pekerja dibuat dari {len(d['lists'])} daftar; berkas di {d['out_dir']}.\n"
            + "\n".join(f"  login {u['username']} / {u['password']}  ({u['role']})" for u in d["users"])
        ),
    )


def register(commands: Commands) -> None:
    demo = commands.add(
        "demo-data", cmd_demo_data, "generate realistic synthetic workers and worker lists, and import them"
    )
    demo.add_argument("--workers", type=int, default=5000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument(
        "--out-dir", default="", help="where the lists are written (default: JARING_VAR_DIR/demo)"
    )
