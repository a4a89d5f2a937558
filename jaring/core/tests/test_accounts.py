"""Accounts (issue #13): password rules, the first password changed at the first sign-in, sign-in throttling
and lock-out per user name and per address (audited), sessions that end when idle or when the browser closes,
the OpenAPI document for signed-in users only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from jaring.core.models import AuditEvent, UserProfile
from jaring.core.rules import Role
from jaring.core.services import user_create

pytestmark = pytest.mark.django_db


def _first_login(client: Client) -> tuple[str, str]:
    user, password = user_create(username="sekdes.cangkudu", role=Role.VILLAGE, region_code="36.03.01.2003",
                                 actor=None)  # fmt: skip
    assert client.post("/login/", {"username": user.get_username(), "password": password}).status_code == 302
    return user.get_username(), password


def test_the_first_password_is_changed_at_the_first_sign_in(client: Client) -> None:
    username, password = _first_login(client)
    assert client.get("/pekerja/").url == "/akun/kata-sandi/"  # type: ignore[attr-defined]
    api = client.get("/api/v1/regions/36")
    assert api.status_code == 403 and api.json()["error"]["code"] == "PASSWORD_CHANGE_REQUIRED"
    page = client.get("/akun/kata-sandi/").content.decode()
    assert "ganti dulu sebelum bekerja" in page
    done = client.post("/akun/kata-sandi/", {"old_password": password, "new_password1": "Sawah-Hijau-2026",
                                             "new_password2": "Sawah-Hijau-2026"})  # fmt: skip
    assert done.status_code == 302 and client.get("/pekerja/").status_code == 200
    assert not UserProfile.objects.get(user__username=username).must_change_password
    assert AuditEvent.objects.filter(action="password.change").count() == 1


@pytest.mark.parametrize(
    ("new", "why"),
    [
        ("1234567890123", "angka"),
        ("password123", "umum"),
        ("sekdes.cangkudu1", "mirip"),
        ("Pendek1!", "pendek"),
    ],
)
def test_weak_passwords_are_refused(client: Client, new: str, why: str) -> None:
    _, password = _first_login(client)
    response = client.post("/akun/kata-sandi/", {"old_password": password, "new_password1": new,
                                                 "new_password2": new})  # fmt: skip
    assert response.status_code == 200 and 'role="alert"' in response.content.decode(), why
    assert client.get("/pekerja/").url == "/akun/kata-sandi/"  # type: ignore[attr-defined]  # still to change


def test_five_wrong_passwords_lock_the_user_name_and_the_address(client: Client) -> None:
    get_user_model().objects.create_user(username="petugas", password="Benar-Sekali-2026")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post("/login/", {"username": "petugas", "password": "salah"}).status_code == 200
    assert client.post("/login/", {"username": "petugas", "password": "salah"}).status_code == 429  # the 5th
    locked = client.post("/login/", {"username": "petugas", "password": "Benar-Sekali-2026"})
    assert locked.status_code == 429 and "LOGIN_LOCKED" in locked.content.decode()  # even the right one waits
    assert (
        AuditEvent.objects.filter(action="login.fail", entity_id="petugas").count()
        >= settings.AXES_FAILURE_LIMIT
    )
    assert AuditEvent.objects.filter(action="login.locked").exists()
    assert "salah" not in str(
        list(AuditEvent.objects.values_list("changes", flat=True))
    )  # never the password
    other = Client(REMOTE_ADDR="198.51.100.9")  # another address, another user: not locked by the first
    get_user_model().objects.create_user(username="kepala", password="Benar-Sekali-2026")
    assert other.post("/login/", {"username": "kepala", "password": "Benar-Sekali-2026"}).status_code == 302


def test_one_address_trying_many_user_names_is_locked() -> None:
    client = Client(REMOTE_ADDR="203.0.113.50")
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post("/login/", {"username": f"tebak{i}", "password": "x"})
    get_user_model().objects.create_user(username="asli", password="Benar-Sekali-2026")
    assert client.post("/login/", {"username": "asli", "password": "Benar-Sekali-2026"}).status_code == 429


def test_sessions_end_when_idle_and_at_browser_close(client: Client) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    get_user_model().objects.create_user(username="petugas", password="Benar-Sekali-2026")
    response = client.post("/login/", {"username": "petugas", "password": "Benar-Sekali-2026"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # a browser-session cookie
    assert 0 < client.session.get_expiry_age() <= 30 * 60


def test_the_openapi_document_is_for_signed_in_users(client: Client) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 302  # to the sign-in page
    assert client.get("/api/v1/docs").status_code == 302
    user = get_user_model().objects.create_user(username="petugas", password="Benar-Sekali-2026")
    client.force_login(user)
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Jaring API"
