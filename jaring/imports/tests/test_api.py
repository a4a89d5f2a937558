from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.imports.tests.files import row_of, xlsx_bytes
from jaring.registry.factories import VILLAGE, worker_cells
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_file(jobs: Callable[[], Any]) -> Callable[..., Any]:
    def post(client: Client, data: bytes, name: str = "daftar.xlsx", **fields: str) -> Any:
        f = io.BytesIO(data)
        f.name = name
        with jobs():
            return client.post("/api/v1/imports/", {"file": f, "source": "Desa Cangkudu", **fields})

    return post


def test_upload_status_issues_commit(
    client: Client, post_file: Callable[..., Any], jobs: Callable[[], Any]
) -> None:
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    data = xlsx_bytes([row_of(worker_cells()), row_of(worker_cells(nik="12", full_name="X"))])
    response = post_file(client, data)
    assert response.status_code == 201
    batch_id = response.json()["batch_id"]
    status = client.get(f"/api/v1/imports/{batch_id}").json()
    assert (status["status"], status["rows"], status["accepted"], status["rejected"]) == ("staged", 2, 1, 1)
    issues = client.get(f"/api/v1/imports/{batch_id}/issues", {"severity": "error"}).json()
    assert [(i["row"], i["column"], i["code"]) for i in issues] == [(3, "NIK", "NIK_LENGTH")]
    again = post_file(client, data)
    assert again.status_code == 200 and again.json()["already_uploaded"] is True
    with jobs():
        committed = client.post(f"/api/v1/imports/{batch_id}/commit")
    assert committed.status_code == 202 and committed.json()["status"] == "committing"
    assert client.get(f"/api/v1/imports/{batch_id}").json()["status"] == "committed"
    assert Worker.objects.count() == 1
    assert client.post(f"/api/v1/imports/{batch_id}/commit").status_code == 202  # idempotent


def test_bad_upload(client: Client, post_file: Callable[..., Any]) -> None:
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    response = post_file(client, b"data", name="foto.png")
    assert response.status_code == 400 and response.json()["error"]["code"] == "FILE_TYPE_UNSUPPORTED"
    response = client.post("/api/v1/imports/", {"source": "x"})  # no file: said in the clerk's words
    assert response.status_code == 400 and response.json()["error"]["code"] == "FILE_MISSING"
    response = post_file(client, xlsx_bytes([row_of(worker_cells())]), default_village_code="99.99.99.9999")
    assert response.status_code == 400 and response.json()["error"]["field"] == "default_village_code"


def test_permissions(client: Client, post_file: Callable[..., Any]) -> None:
    assert post_file(client, xlsx_bytes([row_of(worker_cells())])).status_code == 401
    client.force_login(make_user(Role.SPONSOR))
    assert post_file(client, xlsx_bytes([row_of(worker_cells())])).status_code == 403
    assert client.get("/api/v1/imports/1").status_code == 404
    assert client.post("/api/v1/imports/1/commit").status_code == 403


def test_issues_bad_input_and_scope(client: Client, post_file: Callable[..., Any]) -> None:
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    batch_id = post_file(client, xlsx_bytes([row_of(worker_cells(nik="12"))])).json()["batch_id"]
    assert client.get(f"/api/v1/imports/{batch_id}/issues", {"after_row": "x"}).status_code == 422
    assert client.get("/api/v1/imports/abc").status_code == 422
    client.force_login(make_user(Role.VILLAGE, region_code="35.25.01.2001"))
    assert client.get(f"/api/v1/imports/{batch_id}/issues").status_code == 404
    assert client.get(f"/api/v1/imports/{batch_id}").status_code == 404


def test_issue_rows_are_for_roles_that_handle_personal_data(
    client: Client, post_file: Callable[..., Any]
) -> None:
    client.force_login(make_user(Role.VILLAGE, region_code=VILLAGE))
    batch_id = post_file(client, xlsx_bytes([row_of(worker_cells(nik="12"))])).json()["batch_id"]
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    assert client.get(f"/api/v1/imports/{batch_id}").status_code == 200  # counts
    assert client.get(f"/api/v1/imports/{batch_id}/issues").status_code == 403
