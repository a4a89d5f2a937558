"""What every app's `commands.py` shares: a command returns an Output (one JSON document with --json, or a line
for people), refusals are JaringErrors that `jaring` prints once (exit 1), usage errors exit 2. The
entry point that wires the apps is the project's (jaring/cli/)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


@dataclass
class Output:
    data: dict[str, Any]
    human: Callable[[dict[str, Any]], str]
    exit: int = EXIT_OK


class UsageError(Exception):
    """The command line itself is wrong (a file that is not there, an unknown user): exit 2, on stderr."""


Handler = Callable[[argparse.Namespace], Output]


class Commands:
    """A level of `jaring` subcommands: `add` a command (every one takes --json), or a `group` of them."""

    def __init__(self, sub: Any) -> None:
        self._sub = sub
        self._groups: dict[str, Commands] = {}

    def add(self, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = self._sub.add_parser(name, help=help_text, description=help_text)
        parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        parser.set_defaults(func=handler)
        return parser

    def group(self, name: str, help_text: str) -> Commands:
        """A group of commands; asked again by another app, the same group (`jaring coverage show` is the
        ledger's, `jaring coverage report` the insights')."""
        if name not in self._groups:
            parser = self._sub.add_parser(name, help=help_text)
            self._groups[name] = Commands(parser.add_subparsers(dest="sub", required=True))
        return self._groups[name]

    def raw(self, name: str, help_text: str) -> argparse.ArgumentParser:
        """A command that passes its arguments on untouched (`jaring manage ...`)."""
        parser: argparse.ArgumentParser = self._sub.add_parser(name, help=help_text)
        return parser


def list_arg(values: Sequence[str] | None) -> list[str]:
    """--region 36.03 --region 36.01 or --region 36.03,36.01."""
    return [part.strip() for v in values or [] for part in v.split(",") if part.strip()]


def progress(phase: str, done: int, total: int) -> None:
    """Progress of a long job on stderr (never with --json on stdout)."""
    if total:
        print(f"\r{phase}: {done:,}/{total:,} ({100 * done // total}%)", end="", file=sys.stderr, flush=True)
    else:
        print(f"\r{phase}: {done:,} baris", end="", file=sys.stderr, flush=True)


def rupiah(n: int) -> str:
    return f"Rp {n:,}".replace(",", ".")
