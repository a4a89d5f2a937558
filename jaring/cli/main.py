"""`jaring`: the one entry for every batch job and admin task.

Every app adds its commands from its own `commands.py` (a `register(commands)` function); this module sets
Django up, gives the command a request id (`cli-...`, so every audit event it writes can be traced), runs it
and prints its Output once: one JSON document on stdout with --json, a line for people otherwise. Exit status:
0 success, 1 rejected input (the reasons are in the output), 2 usage error. Progress goes to stderr."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import importlib
import json
import os
import sys
from collections.abc import Sequence

import django

from jaring.core.cli import EXIT_REJECTED, EXIT_USAGE, Commands, Output, UsageError
from jaring.core.context import new_request_id
from jaring.core.errors import JaringError

# Every app's commands, in the order `jaring --help` lists them. Imported once Django is set up (their
# modules import models), by name like Django's INSTALLED_APPS; the project-level ones last.
COMMAND_MODULES = (
    "jaring.cli.project",
    "jaring.regions.commands",
    "jaring.demo.commands",
    "jaring.imports.commands",
    "jaring.registry.commands",
    "jaring.contributions.commands",
    "jaring.funding.commands",
    "jaring.linkage.commands",
    "jaring.claims.commands",
    "jaring.insights.commands",
    "jaring.cli.server",
)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaring.settings")
    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jaring", description="Jaring: perlindungan jaminan sosial pekerja rentan."
    )
    commands = Commands(parser.add_subparsers(dest="command", required=True))
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def _default(o: object) -> object:
    if dataclasses.is_dataclass(o) and not isinstance(o, type):
        return dataclasses.asdict(o)
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    return str(o)


def _print(args: argparse.Namespace, out: Output) -> None:
    if getattr(args, "json", False):
        print(json.dumps(out.data, default=_default, ensure_ascii=False))
    else:
        print(out.human(out.data))


def main(argv: Sequence[str] | None = None) -> int:
    _setup()
    args = build_parser().parse_args(argv)
    new_request_id("cli")
    try:
        out: Output = args.func(args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except JaringError as exc:  # a refusal, said once for every command: what is wrong, where, its code
        text = f"Ditolak: {exc.message} [{exc.code}]"
        out = Output({"error": exc.as_dict()}, lambda d: text, EXIT_REJECTED)
    if out.data or out.exit:
        _print(args, out)
    return out.exit
