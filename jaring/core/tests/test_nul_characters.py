"""A NUL character is never text (issue #13, found by schemathesis on PostgreSQL: `GET
/api/v1/contributions/bills?period=%00` answered 500, "PostgreSQL text fields cannot contain NUL"). Refused at
the door on both databases, with its code."""

from __future__ import annotations

import pytest
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.models import AuditEvent
from jaring.core.rules import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client: Client) -> Client:
    client.force_login(make_user(Role.ADMIN))
    return client


@pytest.mark.parametrize(
    "path",
    ["/api/v1/contributions/bills?period=2026-11%00", "/api/v1/contributions/bills?status=%00paid",
     "/api/v1/claims/?status=x%00", "/api/v1/regions/36%00/children"],
)  # fmt: skip
def test_a_nul_in_a_query_is_refused_on_the_api(admin: Client, path: str) -> None:
    answer = admin.get(path)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "TEXT_CONTROL_CHARACTER"


def test_a_nul_in_a_json_body_is_refused_and_nothing_is_written(admin: Client) -> None:
    before = AuditEvent.objects.count()
    body = '{"full_name": "Sutrisno\\u0000", "village_code": "36.03.01.2003"}'
    answer = admin.post("/api/v1/workers/", body, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "TEXT_CONTROL_CHARACTER"
    assert AuditEvent.objects.count() == before


def test_a_nul_in_a_page_query_or_form_is_refused_in_words(admin: Client) -> None:
    page = admin.get("/iuran/?period=2026-11%00")
    assert page.status_code == 400 and "TEXT_CONTROL_CHARACTER" in page.content.decode()
    form = admin.post("/pekerja/", "q=Sutrisno%00", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 400
    upload = admin.post("/impor/", {"source": "desa\x00"})  # a multipart form's text field
    assert upload.status_code == 400


def test_text_without_nul_passes(admin: Client) -> None:
    assert admin.get("/api/v1/contributions/bills?period=2026-11").status_code == 200
