"""Claims API: success, bad input and permission per endpoint."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from jaring.claims.factories import covered_member
from jaring.claims.models import Claim
from jaring.contributions.factories import member
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.registry.factories import OTHER_REGENCY_VILLAGE
from jaring.registry.models import Worker

pytestmark = pytest.mark.django_db
BASE = "/api/v1/claims"


def _covered() -> Worker:
    return covered_member()


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def clerk(client: Client) -> Client:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    return client


def test_assess_file_list_get_and_reject(clerk: Client) -> None:
    worker = _covered()
    event = {"nik": worker.nik, "claim_type": "jkk_stmb", "event_date": "2026-10-20", "days": 30}
    assessed = _post(clerk, f"{BASE}/assess", event).json()
    assert assessed["eligible"] is True and assessed["total"] == 1_000_000 and not Claim.objects.exists()
    filed = _post(clerk, f"{BASE}/", event)
    assert filed.status_code == 201
    claim_id = filed.json()["id"]
    assert [c["id"] for c in clerk.get(f"{BASE}/").json()["items"]] == [claim_id]
    assert clerk.get(f"{BASE}/{claim_id}").json()["total"] == 1_000_000
    missing = _post(clerk, f"{BASE}/{claim_id}/steps", {})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "DOCUMENTS_MISSING"
    done = _post(clerk, f"{BASE}/{claim_id}/reject", {"code": "not_work_related", "reason": "di rumah"})
    assert done.json()["status"] == "rejected"


def test_bad_input(clerk: Client) -> None:
    worker = _covered()
    bad = _post(clerk, f"{BASE}/", {"nik": worker.nik, "claim_type": "pensiun", "event_date": "2026-10-20"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "CLAIM_INPUT_INVALID"
    bad = _post(clerk, f"{BASE}/", {"nik": worker.nik, "claim_type": "jkm", "event_date": "kemarin"})
    assert bad.status_code == 422
    assert not Claim.objects.exists()


def test_permissions(client: Client) -> None:
    worker = _covered()
    assert client.get(f"{BASE}/").status_code == 401
    client.force_login(make_user(Role.SPONSOR))
    body = {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    assert _post(client, f"{BASE}/", body).status_code == 403
    assert _post(client, f"{BASE}/assess", body).status_code == 403
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    claim_id = _post(client, f"{BASE}/", body).json()["id"]
    assert (
        _post(client, f"{BASE}/{claim_id}/steps", {}).status_code == 403
    )  # villages report, branches decide
    client.force_login(make_user(Role.VILLAGE, region_code="35.25.01.2001"))
    assert client.get(f"{BASE}/{claim_id}").status_code == 404


def test_assess_only_for_workers_of_the_viewers_region(client: Client) -> None:
    """An assessment tells a worker's income and paid months: not for a NIK outside the viewer's region."""
    elsewhere = member(village=OTHER_REGENCY_VILLAGE)
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    found = _post(
        client, f"{BASE}/assess", {"nik": elsewhere.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    )
    assert found.status_code == 404 and found.json()["error"]["code"] == "WORKER_NOT_FOUND"


def test_budget_officers_do_not_read_claims(client: Client) -> None:
    worker = _covered()
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    claim_id = _post(
        client, f"{BASE}/", {"nik": worker.nik, "claim_type": "jkm", "event_date": "2026-10-20"}
    ).json()["id"]
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    assert client.get(f"{BASE}/{claim_id}").status_code == 403


def test_partial_disability_by_body_part_and_the_table(clerk: Client) -> None:
    worker = _covered()
    body = {"nik": worker.nik, "claim_type": "jkk_partial_disability", "event_date": "2026-10-20",
            "parts": [{"code": "ibu_jari_kanan"}], "left_handed": True}  # fmt: skip
    assessed = _post(clerk, f"{BASE}/assess", body).json()
    assert assessed["total"] == 9_600_000  # left-handed: the left thumb's 12 % (PP 44/2015 Lampiran III)
    filed = _post(clerk, f"{BASE}/", body).json()
    assert filed["injuries"] == [{"code": "ibu_jari_kanan", "function_lost": "100"}]
    table = clerk.get(f"{BASE}/disability-table", {"on": "2026-10-20"}).json()["items"]
    assert (
        len(table) == 38 and {"code": "ibu_jari_kanan", "percent": "15.00"}.items() <= table[14].items()
    )  # PP 82/2019
    bad = _post(clerk, f"{BASE}/assess", body | {"parts": [{"code": "ibu_jari_kanan", "function_lost": 0}]})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "PART_FUNCTION_INVALID"
    bad = _post(clerk, f"{BASE}/assess", body | {"parts": [{"code": "sayap"}]})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "PART_UNKNOWN"
    assert clerk.get(f"{BASE}/disability-table", {"on": "kemarin"}).status_code == 422


def test_disability_table_needs_a_login(client: Client) -> None:
    assert client.get(f"{BASE}/disability-table").status_code == 401
