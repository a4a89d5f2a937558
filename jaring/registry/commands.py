"""`jaring memberships ...` and `jaring worker ...`: cards and one worker's record with its history."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from django.utils.timezone import localtime

from jaring.core.cli import Commands, Output
from jaring.core.errors import NotFound
from jaring.core.selectors import SYSTEM
from jaring.registry.selectors import worker_get, worker_history, worker_id_by_key
from jaring.registry.services import memberships_issue_missing


def cmd_memberships_issue(args: argparse.Namespace) -> Output:
    cards = memberships_issue_missing(actor=None)
    return Output({"cards_issued": cards}, lambda d: f"{d['cards_issued']:,} kartu KPJ diterbitkan.")


def cmd_worker_show(args: argparse.Namespace) -> Output:
    worker_id = worker_id_by_key(key=args.worker)
    if worker_id is None:
        raise NotFound("Pekerja tidak ditemukan.")
    detail = worker_get(viewer=SYSTEM, worker_id=worker_id)
    history = worker_history(viewer=SYSTEM, worker_id=worker_id)
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

    return Output(data, human)


def register(commands: Commands) -> None:
    memberships = commands.group("memberships", "membership cards (KPJ)")
    memberships.add(
        "issue", cmd_memberships_issue, "issue a card to every worker that never had one (idempotent)"
    )
    worker = commands.group("worker", "workers")
    show = worker.add(
        "show", cmd_worker_show, "show one worker (by NIK or id) with the history of every change"
    )
    show.add_argument("worker")
