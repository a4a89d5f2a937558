"""The shell every page shares: home, language, login."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.models import AuditEvent
from jaring.core.rules import Role

pytestmark = pytest.mark.django_db


def test_home_shows_the_viewers_scope(client: Client) -> None:
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    html = client.get("/").content.decode()
    assert "Kab. Tangerang, Prov. Banten" in html and "Beranda" in html


def test_indonesian_by_default_english_on_request(client: Client) -> None:
    client.force_login(make_user(Role.ADMIN))
    assert "Pekerja" in client.get("/pekerja/").content.decode()
    # A browser set up in English still gets Indonesian; the language switch chooses English.
    assert "Nama atau NIK" in client.get("/pekerja/", headers={"Accept-Language": "en"}).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/pekerja/"})
    english = client.get("/pekerja/").content.decode()
    assert "Workers" in english and "Name or NIK" in english


def test_login_page_and_bad_password(client: Client) -> None:
    make_user(Role.ADMIN, username="petugas")
    assert client.get("/login/").status_code == 200
    response = client.post("/login/", {"username": "petugas", "password": "salah"})
    assert response.status_code == 200 and "kata sandi salah" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_user_without_role_is_told_so(client: Client) -> None:
    client.force_login(get_user_model().objects.create_user(username="tamu", password="x-123456789"))
    response = client.get("/")
    assert response.status_code == 403 and "belum memiliki peran" in response.content.decode()


def test_api_docs_are_served_without_a_cdn(client: Client) -> None:
    client.force_login(make_user(Role.ADMIN))
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html and "cdn" not in html.lower()


def test_admin_edits_roles_and_reads_but_never_edits_the_audit_trail(client: Client) -> None:
    admin_user = get_user_model().objects.create_superuser(username="root", password="x-123456789")
    client.force_login(admin_user)
    target = make_user(Role.VILLAGE, region_code="36.03.01.2003")
    page = client.get(f"/admin/auth/user/{target.pk}/change/").content.decode()
    assert "Peran di Jaring" in page and "36.03.01.2003" in page
    event = AuditEvent.objects.filter(entity_id=str(target.pk)).first()
    assert event is not None
    assert client.get(f"/admin/core/auditevent/{event.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    assert client.get("/admin/").status_code == 302  # not staff: back to the admin login
