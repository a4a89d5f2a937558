"""A spreadsheet that would stop the office (issue #13): a 1.6 KB file with one cell at XFD1048576 made the
reader ask for 550 GB, the background worker aborted and every later job stayed queued. Now the file is checked
before it is read, the background check runs in a child process with a memory limit, and a worker that stopped
is recovered from visibly."""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jaring.cli.server import Supervised, tasks_recover
from jaring.core.selectors import SYSTEM
from jaring.imports import child, services, tasks
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.imports.services import staging
from jaring.imports.tests.files import HEADERS, row_of, xlsx_bytes
from jaring.registry.factories import worker_cells
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db


def _bomb(*, dimension: bool = True) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Daftar")
    sheet.write_row(0, 0, HEADERS)
    sheet.write_row(1, 0, row_of(worker_cells()))
    sheet.write(1048575, 16383, "x")  # XFD1048576
    book.close()
    data = out.getvalue()
    if dimension:
        return data
    src, stripped = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():  # the same file without its declared area: only the far cell tells
            body = src.read(item)
            dst.writestr(
                item,
                body.replace(b'<dimension ref="A1:XFD1048576"/>', b"")
                if "worksheets" in item.filename
                else body,
            )
    return stripped.getvalue()


def _upload(data: bytes, name: str = "daftar.xlsx") -> ImportBatch:
    return services.import_upload(stream=io.BytesIO(data), file_name=name, source="x", viewer=SYSTEM,
                                  actor=None).batch  # fmt: skip


@pytest.mark.parametrize("dimension", [True, False])
def test_a_sheet_reaching_xfd1048576_fails_its_batch_with_a_reason(dimension: bool) -> None:
    data = _bomb(dimension=dimension)
    assert len(data) < 8_000  # a few kilobytes
    batch = services.import_stage(batch_id=_upload(data).pk)  # in this very process: it must not abort
    assert batch.status == BatchStatus.FAILED and batch.error_code == "FILE_SHEET_TOO_LARGE"
    assert (
        "1.048.576" in batch.error_message and "16.384" in batch.error_message and not Worker.objects.exists()
    )


def test_too_many_columns_or_too_much_unpacked_is_refused(settings: Any) -> None:
    wide = [[*row_of(worker_cells()), *[""] * 300, "x"]]
    batch = services.import_stage(batch_id=_upload(xlsx_bytes(wide), "lebar.xlsx").pk)
    assert batch.error_code == "FILE_SHEET_TOO_LARGE"
    settings.JARING = {**settings.JARING, "IMPORT_MAX_UNPACKED_MB": 0}
    batch = services.import_stage(batch_id=_upload(xlsx_bytes([row_of(worker_cells())]), "kecil.xlsx").pk)
    assert batch.error_code == "FILE_TOO_LARGE"


def test_a_normal_list_passes_the_check() -> None:
    batch = services.import_stage(batch_id=_upload(xlsx_bytes([row_of(worker_cells())])).pk)
    assert batch.status == BatchStatus.STAGED and batch.accepted == 1


@pytest.mark.parametrize(
    "script",
    ["import os; os.abort()",  # what the reader did: the process aborts
     "x = bytearray(3 * 2**30)"],  # more memory than the limit allows
)  # fmt: skip
def test_a_child_that_dies_fails_its_own_batch_and_the_caller_goes_on(
    script: str, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.JARING = {**settings.JARING, "IMPORT_MEMORY_MB": 512}
    monkeypatch.setattr(staging, "CHILD_COMMAND", [sys.executable, "-c", script])
    batch = _upload(xlsx_bytes([row_of(worker_cells())]))
    done = services.import_stage_isolated(batch_id=batch.pk)
    assert done.status == BatchStatus.FAILED and done.error_code == "FILE_TOO_COMPLEX"
    assert "512 MB" in done.error_message and "tidak ada yang disimpan" in done.error_message
    other = services.import_stage(
        batch_id=_upload(xlsx_bytes([row_of(worker_cells(full_name="Siti"))]), "b.xlsx").pk
    )
    assert other.status == BatchStatus.STAGED  # the next job runs


def test_the_background_task_checks_in_a_child_process(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.JARING = {**settings.JARING, "IMPORT_ISOLATED": True}  # the default outside the tests
    seen: list[list[str]] = []

    def fake_run(command: list[str], **kw: Any) -> Any:
        seen.append(command)
        assert callable(kw["preexec_fn"]) and kw["timeout"] > 0  # the memory limit and a time limit
        child.main(command[-1:])  # what the child does, here in-process (the test database is not shared)

        class Done:
            returncode, stderr = 0, b""

        return Done()

    monkeypatch.setattr(staging.subprocess, "run", fake_run)
    batch = _upload(xlsx_bytes([row_of(worker_cells())]))
    assert tasks.stage_batch.call(batch.pk) == BatchStatus.STAGED
    assert seen == [[*staging.CHILD_COMMAND, str(batch.pk)]]


def test_a_new_worker_recovers_what_a_stopped_one_was_running(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a queue, as in production
    checking, saving = _upload(xlsx_bytes([row_of(worker_cells())])), _upload(xlsx_bytes([]), "kosong.xlsx")
    ImportBatch.objects.filter(pk=checking.pk).update(status=BatchStatus.STAGING)
    ImportBatch.objects.filter(pk=saving.pk).update(status=BatchStatus.COMMITTING)
    tasks.stage_batch.enqueue(checking.pk)
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)  # its worker stopped while it ran
    assert tasks_recover() == {"tasks_failed": 1, "batches_failed": 1, "batches_back_to_review": 1}
    checking.refresh_from_db()
    saving.refresh_from_db()
    assert checking.status == BatchStatus.FAILED and checking.error_code == "WORKER_STOPPED"
    assert saving.status == BatchStatus.STAGED
    assert DBTaskResult.objects.get().status == TaskResultStatus.FAILED
    assert tasks_recover() == {"tasks_failed": 0, "batches_failed": 0, "batches_back_to_review": 0}


def test_serve_starts_a_stopped_worker_again(tmp_path: Path) -> None:
    marker = tmp_path / "starts"
    script = f"open({str(marker)!r}, 'a').write('x'); raise SystemExit(3)"
    worker = Supervised([sys.executable, "-c", script], pause=0.05)
    try:
        deadline = time.monotonic() + 10
        while worker.restarts < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()
    assert worker.restarts >= 2 and len(marker.read_text()) >= 2
