"""Funding API: success, bad input and permission per endpoint."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jaring.contributions.factories import member
from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.funding.models import Allocation, Program, Sponsor
from jaring.funding.services import sponsor_create

pytestmark = pytest.mark.django_db
BASE = "/api/v1/funding"


@pytest.fixture
def sponsor() -> Sponsor:
    return sponsor_create(name="Pemkab Tangerang", payer_type="apbd_kabkota", region_code="36.03", viewer=SYSTEM,
                          actor=None)  # fmt: skip


@pytest.fixture
def officer(client: Client) -> Client:
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    return client


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


PROGRAM = {"name": "APBD 2027", "budget": 10_000_000, "first_period": "2027-01", "months": 12}


def test_create_list_and_allocate(officer: Client, sponsor: Sponsor) -> None:
    member(poverty_decile="2")
    created = _post(officer, f"{BASE}/programs", {**PROGRAM, "sponsor_id": sponsor.pk})
    assert created.status_code == 201  # type: ignore[attr-defined]  # test client response
    program_id = created.json()["id"]  # type: ignore[attr-defined]  # test client response
    items = officer.get(f"{BASE}/programs").json()["items"]
    assert [(p["id"], p["budget"], p["committed"]) for p in items] == [(program_id, 10_000_000, 0)]
    dry = _post(officer, f"{BASE}/programs/{program_id}/allocate", {"dry_run": True}).json()  # type: ignore[attr-defined]  # test client response
    assert dry["dry_run"] is True and dry["assigned"] == 1 and not Allocation.objects.exists()
    done = _post(officer, f"{BASE}/programs/{program_id}/allocate", {}).json()  # type: ignore[attr-defined]  # test client response
    assert (
        done["assigned"] == 1
        and done["budget_committed"] == 201_600
        and done["budget_left"] == 10_000_000 - 201_600
    )
    assert done["nobody_funded"] is None
    again = _post(officer, f"{BASE}/programs/{program_id}/allocate", {}).json()  # type: ignore[attr-defined]  # test client response
    assert again["assigned"] == 0 and again["nobody_funded"]["code"] == "ALREADY_FUNDED"  # a zero says why


def test_bad_program_is_refused(officer: Client, sponsor: Sponsor) -> None:
    response = _post(officer, f"{BASE}/programs", {**PROGRAM, "sponsor_id": sponsor.pk, "months": 0})
    assert response.status_code == 400 and response.json()["error"]["code"] == "MONTHS_INVALID"  # type: ignore[attr-defined]  # test client response
    response = _post(officer, f"{BASE}/programs", {**PROGRAM, "sponsor_id": sponsor.pk, "budget": "banyak"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "REQUEST_INVALID"  # type: ignore[attr-defined]  # test client response
    assert not Program.objects.exists()


def test_other_roles_and_regions_are_refused(client: Client, sponsor: Sponsor) -> None:
    assert client.get(f"{BASE}/programs").status_code == 401
    client.force_login(make_user(Role.AGENT, region_code="36.03.01"))
    response = _post(client, f"{BASE}/programs", {**PROGRAM, "sponsor_id": sponsor.pk})
    assert response.status_code == 403  # type: ignore[attr-defined]  # test client response
    client.force_login(make_user(Role.REGION, region_code="35.25"))
    response = _post(client, f"{BASE}/programs", {**PROGRAM, "sponsor_id": sponsor.pk})
    assert response.status_code == 404  # type: ignore[attr-defined]  # test client response
    assert client.get(f"{BASE}/programs").json()["items"] == []


def test_budget_plan_endpoint(officer: Client) -> None:
    data = officer.get(f"{BASE}/budget-plan?payer_type=csr&months=12&workers=10&first_period=2026-11").json()
    assert (
        data["cost_per_worker"] == 2 * 8_400 + 10 * 16_800 and data["total"] == 10 * data["cost_per_worker"]
    )
    bad = officer.get(f"{BASE}/budget-plan?payer_type=csr&months=99&workers=10")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "MONTHS_INVALID"


def test_ending_endpoint(officer: Client) -> None:
    data = officer.get(f"{BASE}/ending?days=60").json()
    assert data["items"] == [] and data["days"] == 60
    assert officer.get(f"{BASE}/ending?days=0").json()["error"]["code"] == "DAYS_INVALID"
