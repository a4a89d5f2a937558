"""API tokens for partner systems (issue #13): an administrator issues and revokes them, only their hash is
kept, a call acts as the token's user with exactly that user's scope, and every call is audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jaring.cli.main import main as jaring
from jaring.contributions.factories import member
from jaring.core.factories import PASSWORD, make_user
from jaring.core.models import ApiToken, AuditEvent
from jaring.core.rules import Role
from jaring.core.services import api_token_hash, api_token_issue, api_token_revoke
from jaring.registry.factories import OTHER_REGENCY_VILLAGE, VILLAGE

pytestmark = pytest.mark.django_db


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_token_acts_as_its_user_with_that_users_scope() -> None:
    make_user(Role.VILLAGE, region_code=VILLAGE, username="sipdes.cangkudu")
    mine, theirs = member(), member(village=OTHER_REGENCY_VILLAGE)
    _, key = api_token_issue(username="sipdes.cangkudu", name="SIPDes Cangkudu", actor=None)
    client = Client()
    assert client.get(f"/api/v1/workers/{mine.pk}", headers=_bearer(key)).status_code == 200
    outside = client.get(f"/api/v1/workers/{theirs.pk}", headers=_bearer(key))
    assert outside.status_code == 404 and outside.json()["error"]["code"] == "NOT_FOUND"
    # the token's user registers in its own village: a POST with a token needs no CSRF cookie
    csrf_client = Client(enforce_csrf_checks=True)
    worker = {"full_name": "Sutrisno", "village_code": VILLAGE, "nik": "", "birth_date": "12-04-1980",
              "sex": "L", "mother_name": "Tukiyem", "occupation": "Petani"}  # fmt: skip
    made = csrf_client.post("/api/v1/workers/", json.dumps(worker), content_type="application/json",
                            headers=_bearer(key))  # fmt: skip
    assert made.status_code == 201, made.content
    assert AuditEvent.objects.get(action="worker.register", entity_id=str(made.json()["id"])).actor_label == (
        "sipdes.cangkudu"
    )


def test_only_the_hash_is_kept_and_the_key_is_shown_once(capsys: pytest.CaptureFixture[str]) -> None:
    make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="bank.bjb")
    assert jaring(["token", "issue", "bank.bjb", "--name", "Bank BJB VA", "--days", "30", "--json"]) == 0
    issued = json.loads(capsys.readouterr().out)
    token = ApiToken.objects.get(pk=issued["id"])
    assert issued["token"].startswith(token.prefix + "_") and token.key_hash == api_token_hash(
        issued["token"]
    )
    assert issued["token"] not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert issued["token"] not in json.dumps(list(AuditEvent.objects.values("changes")))
    assert token.expires_at is not None and token.expires_at > timezone.now() + dt.timedelta(days=29)
    assert jaring(["token", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["items"]
    assert [t["prefix"] for t in listed] == [token.prefix] and "token" not in listed[0]
    assert AuditEvent.objects.filter(action="api_token.issue", entity_id=str(token.pk)).exists()


@pytest.mark.parametrize(
    ("case", "expected"),
    [("revoked", 401), ("expired", 401), ("user inactive", 401), ("unknown key", 401), ("not bearer", 401),
     ("valid", 200)],
)  # fmt: skip
def test_a_token_that_is_no_longer_valid_answers_401(case: str, expected: int) -> None:
    user = make_user(Role.ADMIN, username="sipd.banten")
    token, key = api_token_issue(username="sipd.banten", name="SIPD Banten", actor=None)
    headers = _bearer(key)
    if case == "revoked":
        api_token_revoke(token=token.prefix, actor=None)
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif case == "user inactive":
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    elif case == "unknown key":
        headers = _bearer(key[:-4] + "AAAA")
    elif case == "not bearer":
        headers = {"Authorization": f"Token {key}"}
    answer = Client().get("/api/v1/regions/", headers=headers)
    assert answer.status_code == expected
    if expected == 401:
        assert answer.json()["error"]["code"] == "NOT_AUTHENTICATED"


def test_every_call_with_a_token_is_audited_without_its_query() -> None:
    make_user(Role.ADMIN, username="sipd.banten")
    token, key = api_token_issue(username="sipd.banten", name="SIPD Banten", actor=None)
    client = Client()
    client.get("/api/v1/contributions/bills?period=2026-10", headers=_bearer(key))
    client.get("/api/v1/workers/999999", headers=_bearer(key))
    calls = list(AuditEvent.objects.filter(action="api.call", entity_id=str(token.pk)).order_by("id"))
    assert [(c.changes["method"], c.changes["path"], c.changes["status"]) for c in calls] == [
        ("GET", "/api/v1/contributions/bills", 200),
        ("GET", "/api/v1/workers/999999", 404),
    ]
    assert {c.actor_label for c in calls} == {"sipd.banten"}
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


@pytest.mark.parametrize(
    ("username", "name", "days", "code"),
    [("nobody", "SIPD", None, "TOKEN_USER_INVALID"), ("sipd.banten", "", None, "TEXT_MISSING"),
     ("sipd.banten", "x\x00", None, "TEXT_CONTROL_CHARACTER"), ("sipd.banten", "SIPD", 0, "TOKEN_DAYS_INVALID"),
     ("sipd.banten", "SIPD", 4000, "TOKEN_DAYS_INVALID")],
)  # fmt: skip
def test_issuing_a_token_refuses_bad_input_with_its_code(
    username: str, name: str, days: int | None, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make_user(Role.ADMIN, username="sipd.banten")
    get_user_model().objects.create_user(username="no.role", password=PASSWORD)
    args = ["token", "issue", username, "--name", name, "--json"] + (
        ["--days", str(days)] if days is not None else []
    )
    assert jaring(args) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == code
    assert not ApiToken.objects.exists()


def test_a_user_without_a_role_gets_no_token(capsys: pytest.CaptureFixture[str]) -> None:
    get_user_model().objects.create_user(username="no.role", password=PASSWORD)
    assert jaring(["token", "issue", "no.role", "--name", "x"]) == 1
    assert "[TOKEN_USER_INVALID]" in capsys.readouterr().out


def test_an_administrator_issues_and_revokes_tokens_in_the_admin(admin_client: Client) -> None:
    partner = make_user(Role.REGION, region_code="36.03", username="sipd.tangerang")
    page = admin_client.post("/admin/core/apitoken/add/", {"user": partner.pk, "name": "SIPD Kab. Tangerang",
                                                            "days": "365"})  # fmt: skip
    assert page.status_code == 200, page.content
    token = ApiToken.objects.get(user=partner)
    shown = page.content.decode()
    key = shown.split('<code id="api-key">')[1].split("</code>")[0]
    assert key.startswith(token.prefix) and token.key_hash == api_token_hash(key)
    assert Client().get("/api/v1/regions/", headers=_bearer(key)).status_code == 200
    # never shown again, never edited, never deleted: revoked
    detail = admin_client.get(f"/admin/core/apitoken/{token.pk}/change/").content.decode()
    assert key not in detail and token.key_hash not in detail
    assert admin_client.post(f"/admin/core/apitoken/{token.pk}/delete/").status_code == 403
    admin_client.post("/admin/core/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/regions/", headers=_bearer(key)).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", entity_id=str(token.pk)).exists()


def test_only_administrators_reach_the_tokens(client: Client) -> None:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP", username="clerk"))
    assert client.get("/admin/core/apitoken/").status_code == 302  # to the admin's sign-in: not staff
    assert client.post("/admin/core/apitoken/add/", {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_a_session_post_without_the_csrf_token_is_refused_in_the_error_shape() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.ADMIN, username="admin2"))
    refused = client.post("/api/v1/workers/search", "{}", content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "CSRF_FAILED"
