from __future__ import annotations

import pytest
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, worker_cells
from jaring.registry.models import Membership, Worker
from jaring.registry.tests.helpers import add_worker

pytestmark = pytest.mark.django_db


def login(client: Client, role: Role, **scope: str) -> Client:
    client.force_login(make_user(role, **scope))
    return client


def test_search_by_nik_in_the_body(client: Client) -> None:
    worker = add_worker(full_name="Budi Santoso")
    login(client, Role.BRANCH, branch_code="KC-TGR-CKP")
    response = client.post("/api/v1/workers/search", {"q": worker.nik}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert [r["full_name"] for r in body["rows"]] == ["Budi Santoso"] and body["next_after"] is None


def test_search_rejects_a_malformed_body(client: Client) -> None:
    login(client, Role.ADMIN)
    response = client.post("/api/v1/workers/search", {"after": "abc"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "REQUEST_INVALID"


def test_detail_is_masked_for_a_region_officer(client: Client) -> None:
    worker = add_worker()
    login(client, Role.REGION, region_code="36.03")
    body = client.get(f"/api/v1/workers/{worker.pk}").json()
    assert body["row"]["nik"] != worker.nik and "*" in body["row"]["nik"]
    assert body["history"][0]["action"] == "worker.register"


def test_register_update_and_their_errors(client: Client) -> None:
    login(client, Role.VILLAGE, region_code="36.03.01.2003")
    created = client.post("/api/v1/workers/", worker_cells(), content_type="application/json")
    assert created.status_code == 201
    worker_id = created.json()["id"]
    kpj = created.json()["kpj"]  # registering through the API issues the card (issue #12)
    assert len(kpj) == 11 and Membership.objects.get(worker_id=worker_id, status="active").kpj == kpj
    bad = client.post("/api/v1/workers/", worker_cells(nik="12"), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"] == {
        "code": "NIK_LENGTH", "message": "NIK harus 16 digit, yang tertulis 2 digit.", "field": "nik",
    }  # fmt: skip
    dup = client.post(
        "/api/v1/workers/", worker_cells(nik=Worker.objects.get().nik), content_type="application/json"
    )
    assert dup.status_code == 409
    outside = client.post(
        "/api/v1/workers/", worker_cells(village_code=OTHER_REGENCY_VILLAGE), content_type="application/json"
    )
    assert outside.status_code == 403
    patched = client.patch(
        f"/api/v1/workers/{worker_id}", {"phone": "085555555555"}, content_type="application/json"
    )
    assert patched.status_code == 200 and Worker.objects.get().phone == "085555555555"
    bad_patch = client.patch(
        f"/api/v1/workers/{worker_id}", {"income_tier": 5}, content_type="application/json"
    )
    assert bad_patch.status_code == 400 and bad_patch.json()["error"]["code"] == "INCOME_OUT_OF_RANGE"


def test_permissions(client: Client) -> None:
    worker = add_worker()
    assert client.get(f"/api/v1/workers/{worker.pk}").status_code == 401
    login(client, Role.SPONSOR)
    assert client.get(f"/api/v1/workers/{worker.pk}").status_code == 404  # outside their scope
    assert client.post("/api/v1/workers/", worker_cells(), content_type="application/json").status_code == 403
    assert (
        client.patch(
            f"/api/v1/workers/{worker.pk}", {"phone": "085555555555"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_an_agent_may_register_but_not_correct(client: Client) -> None:
    login(client, Role.AGENT, region_code="36.03.01")
    created = client.post("/api/v1/workers/", worker_cells(), content_type="application/json")
    assert created.status_code == 201
    patched = client.patch(
        f"/api/v1/workers/{created.json()['id']}", {"phone": "085555555555"}, content_type="application/json"
    )
    assert patched.status_code == 403
