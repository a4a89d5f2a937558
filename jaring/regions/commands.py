"""`jaring regions ...`: the shipped Kemendagri codes, NIK prefixes and branch offices."""

from __future__ import annotations

import argparse
import dataclasses

from jaring.core.cli import Commands, Output
from jaring.regions.services import regions_load


def cmd_regions_load(args: argparse.Namespace) -> Output:
    result = regions_load(actor=None)
    return Output(
        dataclasses.asdict(result),
        lambda d: (
            f"{d['regions']:,} kode wilayah, {d['nik_prefixes']:,} prefiks NIK, "
            f"{d['branch_offices']} kantor cabang dimuat dalam {d['seconds']} detik."
        ),
    )


def register(commands: Commands) -> None:
    regions = commands.group("regions", "Kemendagri region codes")
    regions.add(
        "load", cmd_regions_load, "load the shipped 2025 region codes, NIK prefixes and branch offices"
    )
