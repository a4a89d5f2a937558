"""Each app writes only its own tables (house style, convention 3): every INSERT, UPDATE and DELETE a user's
journey causes is issued by code of the app that owns the table (its `services`, or a mover it registered),
never by another app's code. The statement is attributed to the innermost Jaring app on the Python stack
(core's bulk helpers and the task runner are plumbing, not owners)."""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import psycopg
import pytest
from django.db import connection

from jaring.claims.factories import covered_member
from jaring.cli import main
from jaring.contributions.factories import member
from jaring.core.selectors import SYSTEM
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.linkage.models import CandidatePair, DedupeRun, LinkageModel
from jaring.linkage.services import merge_undo, pair_merge
from jaring.registry.factories import VILLAGE, nik_for, worker_cells

pytestmark = pytest.mark.django_db

APPS = ("core", "regions", "registry", "contributions", "funding", "claims", "imports", "linkage", "insights")
PLUMBING = ("jaring/core/bulk.py", "jaring/core/context.py")
WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+\"?([a-z_]+)\"?", re.IGNORECASE)


def _writer() -> str | None:
    for frame in reversed(traceback.extract_stack()):
        path = frame.filename.replace("\\", "/")
        if "/jaring/" not in path or "/tests/" in path or path.endswith(PLUMBING):
            continue
        part = path.split("/jaring/", 1)[1].split("/", 1)[0]
        if part in APPS:
            return part
        return None  # project level (cli, demo, api): it calls services, it never writes itself
    return None


@contextmanager
def writes() -> Iterator[list[tuple[str, str | None]]]:
    seen: list[tuple[str, str | None]] = []

    def note(sql: str) -> None:
        match = WRITE.match(sql)
        if match and not match.group(2).startswith(("jaring_", "django_", "auth_")):
            seen.append((match.group(2), _writer()))

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        note(sql)
        return execute(sql, params, many, context)

    with ExitStack() as stack:
        stack.enter_context(connection.execute_wrapper(record))
        if connection.vendor == "postgresql":  # bulk writes go through COPY, beside Django's cursor wrapper
            copy = psycopg.Cursor.copy

            def copy_noted(cursor: Any, statement: Any, *args: Any, **kwargs: Any) -> Any:
                note(str(statement))
                return copy(cursor, statement, *args, **kwargs)

            stack.enter_context(mock.patch.object(psycopg.Cursor, "copy", copy_noted))
        yield seen


def _owner(table: str) -> str:
    return next((app for app in APPS if table.startswith(app + "_")), table)


def test_a_workers_life_writes_each_table_from_its_own_app(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    niks = [nik_for(serial=9100 + i) for i in range(3)]
    listing = tmp_path / "daftar.xlsx"
    listing.write_bytes(
        xlsx_bytes([row_of(worker_cells(nik=n, full_name=f"Warga {i}")) for i, n in enumerate(niks)])
    )
    with writes() as seen:
        for argv in (
            ["import", str(listing), "--source", "Desa Cangkudu", "--commit"],
            ["sponsor", "create", "--name", "Desa Cangkudu", "--payer-type", "apbdes", "--region", VILLAGE,
             "--ref", "desa-cangkudu"],
            ["program", "create", "--sponsor", "desa-cangkudu", "--name", "1 Desa 100", "--budget", "5000000",
             "--first-period", "2026-11", "--months", "12", "--region", VILLAGE],
        ):  # fmt: skip
            assert main([*argv, "--json"]) == 0
        program = json.loads(capsys.readouterr().out.splitlines()[-1])
        assert main(["allocate", "--program", str(program["id"]), "--json"]) == 0
        assert main(["bill", "--period", "2026-11", "--json"]) == 0
        statement = tmp_path / "rekening.csv"
        statement.write_text(
            f"reference,va_number,amount,paid_at\nT1,{program['va_number']},25200,2026-11-03 09:00\n"
        )
        assert main(["payments", "import", str(statement), "--json"]) == 0
        assert (
            main(["claim", "file", "--nik", niks[0], "--type", "jkm", "--event-date", "2026-11-20", "--json"])
            == 0
        )
        assert main(["coverage", "report", "--region", "36.03", "--json"]) == 0  # the jobs' marks, refreshed
        capsys.readouterr()
    tables = {t for t, _ in seen}
    assert {"registry_worker", "registry_membership", "funding_allocation", "contributions_payerassignment",
            "contributions_billline", "claims_claim", "core_auditevent", "insights_dirtyperiod",
            "insights_coveragefigure"} <= tables  # fmt: skip
    assert ("insights_dirtyperiod", "insights") in set(seen)  # marked by insights, inside the job
    assert {("registry_membership", "registry"), ("contributions_payerassignment", "contributions"),
            ("funding_allocation", "funding")} <= set(seen)  # fmt: skip
    foreign = sorted({(t, w) for t, w in seen if w is not None and w != _owner(t)})
    assert foreign == [], foreign


def test_a_merge_and_its_undo_move_each_apps_rows_through_that_apps_mover() -> None:
    survivor, retired = covered_member(full_name="Muhammad Yusuf"), member(full_name="Moh. Yusuf")
    run = DedupeRun.objects.create(model=LinkageModel.objects.create(parameters={}, trained_on=0))
    pair = CandidatePair.objects.create(worker_a=survivor, worker_b=retired, probability=0.97, run=run)
    with writes() as seen:
        merge = pair_merge(
            pair_id=pair.pk, survivor_id=survivor.pk, reason="KTP sama", viewer=SYSTEM, actor=None
        )
        merge_undo(merge_id=merge.pk, reason="saudara kembar", viewer=SYSTEM, actor=None)
    assert {("registry_worker", "registry"), ("registry_membership", "registry"),
            ("linkage_merge", "linkage")} <= set(seen)  # fmt: skip
    foreign = sorted({(t, w) for t, w in seen if w is not None and w != _owner(t)})
    assert foreign == [], foreign
