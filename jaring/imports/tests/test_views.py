"""Intake pages: upload, background staging (immediate backend in tests), preview, confirm, downloads."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.imports.models import BatchStatus, ImportBatch
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.registry.factories import VILLAGE, nik_for, worker_cells
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client: Client, jobs: Callable[[], Any]) -> Callable[..., Any]:
    def post(client: Client, data: bytes, name: str = "daftar.xlsx", source: str = "Desa Cangkudu") -> Any:
        f = io.BytesIO(data)
        f.name = name
        with jobs():
            return client.post("/impor/", {"file": f, "source": source})

    return post


@pytest.fixture
def secretary(client: Client) -> Client:
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    return client


def test_upload_stage_preview_and_commit(
    secretary: Client, upload: Callable[..., Any], jobs: Callable[[], Any]
) -> None:
    data = xlsx_bytes([row_of(worker_cells()), row_of(worker_cells(nik="123", full_name="Salah NIK"))])
    response = upload(secretary, data)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/{batch.pk}/"
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED
    page = secretary.get(f"/impor/{batch.pk}/?tab=rejected").content.decode()
    assert "Salah NIK" in page and "NIK harus 16 digit" in page
    assert Worker.objects.count() == 0
    with jobs():
        assert secretary.post(f"/impor/{batch.pk}/simpan/").status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED and Worker.objects.count() == 1
    rejected = secretary.get(f"/impor/{batch.pk}/ditolak.xlsx")
    assert rejected.status_code == 200 and rejected["Content-Type"].startswith("application/vnd.openxml")


def test_the_same_file_again_says_so(
    secretary: Client, upload: Callable[..., Any], jobs: Callable[[], Any]
) -> None:
    data = xlsx_bytes([row_of(worker_cells())])
    upload(secretary, data)
    response = upload(secretary, data)
    assert ImportBatch.objects.count() == 1
    page = secretary.get(response["Location"]).content.decode()
    assert "sudah pernah diunggah" in page


def test_bad_input_gets_a_clear_message(
    secretary: Client, upload: Callable[..., Any], jobs: Callable[[], Any]
) -> None:
    response = secretary.post("/impor/", {"source": "x"})
    assert response.status_code == 400 and "FILE_MISSING" in response.content.decode()
    response = upload(secretary, b"%PDF-1.4", name="surat.pdf")
    assert response.status_code == 400 and "FILE_TYPE_UNSUPPORTED" in response.content.decode()
    response = upload(secretary, xlsx_bytes([row_of(worker_cells())]), source="  ")
    assert response.status_code == 400 and "SOURCE_MISSING" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_corrupt_file_shows_the_reason_on_the_batch_page(
    secretary: Client, upload: Callable[..., Any], jobs: Callable[[], Any]
) -> None:
    response = upload(secretary, b"PK\x03\x04" + b"x" * 300)
    page = secretary.get(response["Location"]).content.decode()
    assert "FILE_CORRUPT" in page and "Berkas ditolak" in page


def test_permissions(client: Client, upload: Callable[..., Any]) -> None:
    assert client.get("/impor/").status_code == 302  # login first
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    upload(client, xlsx_bytes([row_of(worker_cells(nik=nik_for()))]))
    batch = ImportBatch.objects.get()
    client.force_login(make_user(Role.SPONSOR))
    assert upload(client, xlsx_bytes([row_of(worker_cells())])).status_code == 403
    assert client.get(f"/impor/{batch.pk}/").status_code == 404
    assert client.post(f"/impor/{batch.pk}/simpan/").status_code in (403, 404)
    assert client.get(f"/impor/{batch.pk}/ditolak.xlsx").status_code == 404
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED


def test_template_download(secretary: Client, upload: Callable[..., Any], jobs: Callable[[], Any]) -> None:
    response = secretary.get("/impor/templat.xlsx")
    assert response.status_code == 200
    wb = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert wb.get_sheet_by_index(0).to_python()[0][:3] == ["NIK", "Nama Lengkap", "Jenis Kelamin"]


def test_issue_rows_partial(secretary: Client, upload: Callable[..., Any], client: Client) -> None:
    upload(secretary, xlsx_bytes([row_of(worker_cells(nik="12")), row_of(worker_cells(phone="0812"))]))
    batch = ImportBatch.objects.get()
    errors = secretary.get(f"/impor/{batch.pk}/masalah/", {"severity": "error"}).content.decode()
    assert "NIK_LENGTH" in errors and "PHONE_INVALID" not in errors
    after = secretary.get(f"/impor/{batch.pk}/masalah/", {"after": "2"}).content.decode()
    assert "PHONE_INVALID" in after and "NIK_LENGTH" not in after
    assert secretary.get(f"/impor/{batch.pk}/masalah/", {"after": "x; drop"}).status_code == 200  # ignored
    client.force_login(make_user(Role.VILLAGE, region_code="35.25.01.2001"))  # another village
    assert client.get(f"/impor/{batch.pk}/masalah/").status_code == 404


def test_a_regency_officer_sees_counts_but_no_row_details(
    secretary: Client, upload: Callable[..., Any], client: Client
) -> None:
    nik = nik_for()
    upload(
        secretary,
        xlsx_bytes([row_of(worker_cells(nik=nik)), row_of(worker_cells(nik="12", full_name="Salah"))]),
    )
    batch = ImportBatch.objects.get()
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    page = client.get(f"/impor/{batch.pk}/?tab=accepted").content.decode()
    assert 'id="count-rejected">1<' in page and "NIK_LENGTH" in page  # counts and the problem summary
    assert nik not in page and "rows-hidden" in page
    assert client.get(f"/impor/{batch.pk}/ditolak.xlsx").status_code == 403
    assert client.get(f"/impor/{batch.pk}/masalah/").status_code == 403
