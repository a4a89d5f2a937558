"""Staged intake against the database: stage, review, commit, and every way a file can be bad."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from jaring.core.errors import Conflict, FileRejected, PermissionDenied
from jaring.core.factories import make_viewer
from jaring.core.models import AuditEvent
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM, Viewer
from jaring.imports import services, tasks
from jaring.imports.models import BatchStatus, ImportBatch, ImportIssue
from jaring.imports.selectors import batch_rejected_xlsx, staged_path
from jaring.imports.tests.files import HEADERS, csv_bytes, row_of, xlsx_bytes
from jaring.registry.factories import VILLAGE, nik_for, worker_cells
from jaring.registry.models import ContactChangeProposal, Membership, Worker

pytestmark = pytest.mark.django_db


def stage(
    data: bytes, name: str = "daftar.xlsx", viewer: Viewer = SYSTEM, actor: Any = None, **kw: Any
) -> ImportBatch:
    upload = services.import_upload(
        stream=io.BytesIO(data), file_name=name, source="Desa Cangkudu", viewer=viewer, actor=actor, **kw
    )
    return services.import_stage(batch_id=upload.batch.pk)


def commit(batch: ImportBatch) -> ImportBatch:
    return services.import_commit(batch_id=batch.pk, viewer=SYSTEM, actor=None)


def issues(batch: ImportBatch) -> list[tuple[str, int, str, str]]:
    return list(
        ImportIssue.objects.filter(batch=batch)
        .order_by("row", "code")
        .values_list("sheet", "row", "column", "code")
    )


def test_a_messy_xlsx_is_staged_row_by_row_then_committed_in_one_go() -> None:
    rows: list[list[object]] = [
        row_of(worker_cells(full_name="Budi Santoso")),
        row_of(worker_cells(full_name="Siti Aminah", sex="P", nik=nik_for(sex="P"), phone="0812")),
        row_of(worker_cells(full_name="Joko", nik=float(nik_for()[:15] + "0"))),  # Excel-damaged NIK
        row_of(worker_cells(full_name="", nik=nik_for())),
        [None for _ in HEADERS],  # a blank row is skipped, not counted
    ]
    batch = stage(xlsx_bytes(rows, title_rows=2))
    assert batch.status == BatchStatus.STAGED
    assert (batch.rows, batch.accepted, batch.warnings, batch.rejected) == (4, 2, 1, 2)
    # Row numbers are the ones Excel shows: two title rows, the header on row 3, data from row 4.
    assert issues(batch) == [
        ("Data", 5, "Nomor HP" if "Nomor HP" in HEADERS else "No HP", "PHONE_INVALID"),
        ("Data", 6, "NIK", "NIK_NUMERIC_CELL"),
        ("Data", 7, "Nama Lengkap", "NAME_MISSING"),
    ]
    assert Worker.objects.count() == 0  # staging writes nothing to the registry

    batch = commit(batch)
    assert batch.status == BatchStatus.COMMITTED
    assert batch.created_workers == 2
    assert sorted(Worker.objects.values_list("full_name", flat=True)) == ["Budi Santoso", "Siti Aminah"]
    siti = Worker.objects.get(full_name="Siti Aminah")
    assert (siti.phone, siti.village_id, siti.regency_code, siti.created_batch_id) == (
        "",
        VILLAGE,
        "36.03",
        batch.pk,
    )
    event = AuditEvent.objects.get(action="import.commit")
    assert event.changes["created_workers"] == 2 and event.batch_ref == f"import-{batch.pk}"


def test_committing_twice_changes_nothing() -> None:
    batch = commit(stage(xlsx_bytes([row_of(worker_cells())])))
    again = commit(batch)
    assert again.status == BatchStatus.COMMITTED
    assert Worker.objects.count() == 1
    assert AuditEvent.objects.filter(action="import.commit").count() == 1


def test_the_same_file_twice_is_recognised_and_changes_nothing() -> None:
    data = xlsx_bytes([row_of(worker_cells())])
    first = commit(stage(data))
    upload = services.import_upload(
        stream=io.BytesIO(data), file_name="lagi.xlsx", source="x", viewer=SYSTEM, actor=None
    )
    assert upload.created is False and upload.batch.pk == first.pk
    assert ImportBatch.objects.count() == 1 and Worker.objects.count() == 1


@pytest.mark.parametrize(
    ("delimiter", "encoding", "name"),
    [
        (";", "utf-8-sig", "Zulaikha"),
        (",", "utf-8", "Zulaikha"),
        (";", "cp1252", "Zulaikha’"),
        ("\t", "utf-8", "Zulaikha"),
    ],
)
def test_csv_in_the_encodings_and_separators_offices_produce(
    delimiter: str, encoding: str, name: str
) -> None:
    data = csv_bytes([row_of(worker_cells(full_name=f"Siti {name}", sex="P", nik=nik_for(sex="P")))],
                     delimiter=delimiter, encoding=encoding, title="DAFTAR DESA")  # fmt: skip
    batch = commit(stage(data, "daftar.csv"))
    assert (batch.rows, batch.rejected) == (1, 0), issues(batch)
    assert Worker.objects.get().full_name == f"Siti {name}"


def test_scientific_nik_in_csv_is_the_excel_damage() -> None:
    batch = stage(csv_bytes([row_of(worker_cells(nik="3.60301E+15"))]), "d.csv")
    assert [i[3] for i in issues(batch)] == ["NIK_NUMERIC_CELL"]
    message = ImportIssue.objects.get(batch=batch).message
    assert "Teks" in message  # tells the secretary how to fix it


def test_a_nik_twice_in_one_file_rejects_the_later_rows() -> None:
    nik = nik_for()
    rows = [
        row_of(worker_cells(nik=nik, full_name="Budi")),
        row_of(worker_cells()),
        row_of(worker_cells(nik=nik, full_name="Budi S")),
    ]
    batch = stage(xlsx_bytes(rows))
    assert (batch.accepted, batch.rejected, batch.duplicates_in_file) == (2, 1, 1)
    dup = ImportIssue.objects.get(batch=batch, code="NIK_DUPLICATE_IN_FILE")
    assert dup.row == 4 and "baris 2" in dup.message
    commit(batch)
    assert Worker.objects.get(nik=nik).full_name == "Budi"


def test_a_registered_nik_links_and_proposes_new_contact_details() -> None:
    nik = nik_for()
    commit(stage(xlsx_bytes([row_of(worker_cells(nik=nik, phone="081111111111"))])))
    worker = Worker.objects.get()
    batch = stage(
        xlsx_bytes(
            [row_of(worker_cells(nik=nik, phone="082222222222", full_name="Budi S.")), row_of(worker_cells())]
        )
    )
    assert batch.existing_workers == 1
    batch = commit(batch)
    assert batch.created_workers == 1
    worker.refresh_from_db()
    assert worker.phone == "081111111111"  # not overwritten
    proposal = ContactChangeProposal.objects.get()
    assert (proposal.worker_id, proposal.field_name, proposal.proposed_value) == (
        worker.pk,
        "phone",
        "082222222222",
    )


def test_a_nik_registered_after_staging_is_linked_at_commit() -> None:
    nik = nik_for()
    late = stage(xlsx_bytes([row_of(worker_cells(nik=nik))]))
    commit(stage(xlsx_bytes([row_of(worker_cells(nik=nik, full_name="Dari daftar lain"))])))
    late = commit(late)
    assert (late.created_workers, late.existing_workers) == (0, 1)
    assert Worker.objects.filter(nik=nik).count() == 1


def test_commit_is_all_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    nik = nik_for()
    commit(stage(xlsx_bytes([row_of(worker_cells(nik=nik, phone="081111111111"))])))
    batch = stage(xlsx_bytes([row_of(worker_cells()), row_of(worker_cells(nik=nik, phone="082222222222"))]))

    def boom(**kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        services.commit, "proposals_create", boom
    )  # fails after the workers and cards were inserted
    with pytest.raises(RuntimeError):
        commit(batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED
    assert Worker.objects.count() == 1 and ContactChangeProposal.objects.count() == 0
    assert Membership.objects.count() == 1


def test_rejected_rows_download_fix_and_upload_again(tmp_path: Path) -> None:
    good, bad = (
        worker_cells(),
        worker_cells(full_name="Rina", sex="P", nik=nik_for(sex="P"), birth_date="04-25-1985"),
    )
    batch = stage(xlsx_bytes([row_of(good), row_of(bad)]))
    name, data = batch_rejected_xlsx(viewer=SYSTEM, batch_id=batch.pk)
    assert name == "daftar-ditolak.xlsx"
    path = tmp_path / name
    path.write_bytes(data)
    sheet: list[list[Any]] = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert sheet[0][: len(HEADERS)] == HEADERS and sheet[0][-1] == "Kesalahan"
    assert len(sheet) == 2 and sheet[1][1] == "Rina"
    assert "tertukar" in sheet[1][-1]
    sheet[1][4] = "25-04-1985"  # the secretary fixes the date and uploads the same workbook again
    fixed = stage(xlsx_bytes([r[: len(HEADERS)] for r in sheet[1:]], headers=sheet[0][: len(HEADERS)]))
    assert (fixed.rows, fixed.rejected) == (1, 0), issues(fixed)


def test_rows_outside_the_uploaders_village_are_rejected() -> None:
    user, viewer = make_viewer(Role.VILLAGE, region_code=VILLAGE)
    batch = stage(
        xlsx_bytes([row_of(worker_cells()), row_of(worker_cells(village_code="36.03.01.2005"))]),
        viewer=viewer,
        actor=user,
    )
    assert batch.default_village_code == VILLAGE
    assert [i[3] for i in issues(batch)] == ["VILLAGE_OUT_OF_SCOPE"]


def test_a_sponsor_may_not_upload_lists() -> None:
    _, viewer = make_viewer(Role.SPONSOR)
    with pytest.raises(PermissionDenied):
        stage(xlsx_bytes([row_of(worker_cells())]), viewer=viewer)


def test_another_users_batch_is_not_handed_out_by_hash() -> None:
    data = xlsx_bytes([row_of(worker_cells())])
    stage(data, viewer=make_viewer(Role.VILLAGE, region_code=VILLAGE)[1])
    with pytest.raises(Conflict):
        stage(data, viewer=make_viewer(Role.VILLAGE, region_code="35.25.01.2001")[1])


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("foto.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "FILE_NOT_SPREADSHEET"),
        ("rusak.xlsx", b"PK\x03\x04" + b"garbage" * 50, "FILE_CORRUPT"),
        (
            "sandi.xlsx",
            OLE + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512,
            "FILE_PASSWORD_PROTECTED",
        ),
        ("kosong.csv", b"\n\n  \n", "FILE_EMPTY"),
        ("judul.csv", b"Daftar pekerja\nTidak ada kolom\n", "FILE_NO_HEADER"),
        ("judul.xlsx", xlsx_bytes([], headers=["Nomor", "Keterangan"]), "FILE_NO_HEADER"),
    ],
)
def test_bad_files_get_one_clear_error_and_leave_nothing(name: str, data: bytes, code: str) -> None:
    batch = stage(data, name)
    assert batch.status == BatchStatus.FAILED
    assert batch.error_code == code
    assert batch.error_message  # a sentence for the secretary
    assert ImportIssue.objects.count() == 0 and Worker.objects.count() == 0
    with pytest.raises(Conflict):
        commit(batch)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [("kosong.xlsx", b"", "FILE_EMPTY"), ("laporan.pdf", b"%PDF-1.4", "FILE_TYPE_UNSUPPORTED")],
)
def test_files_refused_at_upload(name: str, data: bytes, code: str) -> None:
    with pytest.raises(FileRejected) as exc:
        stage(data, name)
    assert exc.value.code == code
    assert ImportBatch.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(settings: Any) -> None:
    settings.JARING = {**settings.JARING, "IMPORT_MAX_BYTES": 1000}
    with pytest.raises(FileRejected) as exc:
        stage(xlsx_bytes([row_of(worker_cells())] * 50))
    assert exc.value.code == "FILE_TOO_LARGE"
    assert ImportBatch.objects.count() == 0
    assert not list((settings.JARING["IMPORT_DIR"] / "incoming").iterdir())  # the partial upload is gone


def test_too_many_rows_fails_the_file(settings: Any) -> None:
    settings.JARING = {**settings.JARING, "IMPORT_MAX_ROWS": 2}
    batch = stage(xlsx_bytes([row_of(worker_cells()) for _ in range(3)]))
    assert (batch.status, batch.error_code) == (BatchStatus.FAILED, "FILE_TOO_LARGE")


def test_every_sheet_with_a_header_is_read() -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for sheet_name in ("Dusun Krajan", "Catatan", "Dusun Baru"):
        ws = wb.add_worksheet(sheet_name)
        if sheet_name != "Catatan":
            ws.write_row(0, 0, HEADERS)
            ws.write_row(1, 0, [str(v) for v in row_of(worker_cells())])
        else:
            ws.write_string(0, 0, "Dikirim oleh sekretaris desa")
    wb.close()
    batch = stage(buf.getvalue())
    assert batch.rows == 2 and batch.duplicates_in_file == 0  # different NIKs across sheets
    assert set(pl.read_parquet(staged_path(batch))["sheet"]) == {"Dusun Krajan", "Dusun Baru"}


def test_progress_is_reported_with_a_total() -> None:
    calls: list[tuple[str, int, int]] = []
    upload = services.import_upload(
        stream=io.BytesIO(xlsx_bytes([row_of(worker_cells()) for _ in range(5)])), file_name="d.xlsx", source="x",
        viewer=SYSTEM, actor=None,
    )  # fmt: skip
    batch = services.import_stage(batch_id=upload.batch.pk, progress=lambda *a: calls.append(a))
    validate = [c for c in calls if c[0] == "validate"]
    assert validate and validate[-1] == ("validate", 5, 5)
    assert (batch.progress_done, batch.progress_total) == (5, 5)


FIXTURES = Path(__file__).parent / "fixtures"


def test_an_old_xls_file_with_title_rows_date_cells_and_a_numeric_nik() -> None:
    batch = stage((FIXTURES / "daftar-lama.xls").read_bytes(), "daftar-lama.xls")
    assert batch.status == BatchStatus.STAGED, batch.error_message
    assert (batch.rows, batch.accepted, batch.rejected) == (3, 2, 1)
    assert issues(batch) == [("Daftar", 6, "NIK", "NIK_NUMERIC_CELL")]
    commit(batch)
    siti = Worker.objects.get(full_name="Siti Aminah")
    assert str(siti.birth_date) == "1990-08-12" and siti.occupation == "pedagang_pasar"


def test_a_real_password_protected_workbook() -> None:
    # Encrypted by Excel's agile scheme (made with msoffcrypto-tool, password "rahasia").
    batch = stage((FIXTURES / "bersandi.xlsx").read_bytes(), "bersandi.xlsx")
    assert (batch.status, batch.error_code) == (BatchStatus.FAILED, "FILE_PASSWORD_PROTECTED")
    assert "kata sandi" in batch.error_message


def test_a_row_rejected_as_a_duplicate_goes_back_with_its_cells(tmp_path: Path) -> None:
    nik = nik_for()
    rows = [
        row_of(worker_cells(nik=nik, full_name="Budi")),
        row_of(worker_cells(nik=nik, full_name="Budi Lagi")),
    ]
    batch = stage(xlsx_bytes(rows))
    _, data = batch_rejected_xlsx(viewer=SYSTEM, batch_id=batch.pk)
    path = tmp_path / "ditolak.xlsx"
    path.write_bytes(data)
    sheet: list[list[Any]] = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert len(sheet) == 2
    row = dict(zip(sheet[0], sheet[1], strict=False))
    assert (row["NIK"], row["Nama Lengkap"], row["Tanggal Lahir"], row["Kode Desa"]) == (
        nik,
        "Budi Lagi",
        "12-04-1985",
        VILLAGE,
    )
    assert row["Penghasilan"] == "1000000" and "NIK sama dengan baris 2" in row["Kesalahan"]


def test_an_unexpected_failure_while_staging_fails_the_batch_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    upload = services.import_upload(
        stream=io.BytesIO(xlsx_bytes([row_of(worker_cells())])),
        file_name="d.xlsx",
        source="x",
        viewer=SYSTEM,
        actor=None,
    )

    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError("out of memory")

    monkeypatch.setattr(services.staging, "read_sheets", broken)
    with pytest.raises(MemoryError):
        tasks.stage_batch.call(upload.batch.pk)
    batch = ImportBatch.objects.get(pk=upload.batch.pk)
    assert (batch.status, batch.error_code) == (BatchStatus.FAILED, "STAGE_FAILED")
    assert ImportIssue.objects.count() == 0 and Worker.objects.count() == 0


def test_a_batch_stopped_by_a_system_fault_can_be_uploaded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx_bytes([row_of(worker_cells())])
    upload = services.import_upload(
        stream=io.BytesIO(data), file_name="d.xlsx", source="x", viewer=SYSTEM, actor=None
    )
    ImportBatch.objects.filter(pk=upload.batch.pk).update(
        status=BatchStatus.FAILED, error_code="STAGE_FAILED"
    )
    again = services.import_upload(
        stream=io.BytesIO(data), file_name="d.xlsx", source="x", viewer=SYSTEM, actor=None
    )
    assert again.created and again.batch.pk == upload.batch.pk and again.batch.status == BatchStatus.QUEUED
    assert services.import_stage(batch_id=again.batch.pk).status == BatchStatus.STAGED
    # A file rejected for what it is stays rejected: the same bytes give the same answer.
    bad = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    first = stage(bad, "foto.xlsx")
    second = services.import_upload(
        stream=io.BytesIO(bad), file_name="foto.xlsx", source="x", viewer=SYSTEM, actor=None
    )
    assert not second.created and second.batch.status == BatchStatus.FAILED and second.batch.pk == first.pk


def test_a_registered_nik_under_a_clearly_different_name_is_flagged_not_silently_linked() -> None:
    nik = nik_for()
    commit(stage(xlsx_bytes([row_of(worker_cells(nik=nik, full_name="Budi Santoso"))])))
    rows = [
        row_of(worker_cells(nik=nik, full_name="Siti Aminah", sex="L")),  # the same NIK, someone else's name
        row_of(worker_cells(nik=nik_for(), full_name="Joko")),
    ]
    batch = stage(xlsx_bytes(rows))
    assert (batch.accepted, batch.warnings, batch.existing_workers) == (2, 1, 1)
    issue = ImportIssue.objects.get(batch=batch, code="NIK_NAME_MISMATCH")
    assert issue.row == 2 and issue.severity == "warning"
    assert "Budi" not in issue.message  # the registered name may be outside the uploader's region
    again = stage(
        xlsx_bytes([row_of(worker_cells(nik=nik, full_name="H. BUDI SANTOSO, S.Pd.", phone="089999999999"))])
    )
    assert not ImportIssue.objects.filter(batch=again, code="NIK_NAME_MISMATCH").exists()  # the same person


def test_a_committed_list_gives_every_worker_it_names_a_card() -> None:
    """Decision 0010: new workers get a card; a registered worker without one gets it; an ended card stays."""
    known, ended = nik_for(), nik_for()
    commit(stage(xlsx_bytes([row_of(worker_cells(nik=known)), row_of(worker_cells(nik=ended))])))
    Membership.objects.filter(worker__nik=known).delete()  # registered before cards came with registration
    Membership.objects.filter(worker__nik=ended).update(status="ended")
    batch = commit(stage(xlsx_bytes([row_of(worker_cells()), row_of(worker_cells(nik=known)),
                                     row_of(worker_cells(nik=ended))])))  # fmt: skip
    assert (batch.created_workers, batch.existing_workers) == (1, 2)
    new = Worker.objects.get(created_batch=batch)
    assert Membership.objects.filter(worker=new, status="active").count() == 1
    assert Membership.objects.filter(worker__nik=known, status="active").count() == 1
    assert list(Membership.objects.filter(worker__nik=ended).values_list("status", flat=True)) == ["ended"]
