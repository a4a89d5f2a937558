import pytest
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.rules import Role

pytestmark = pytest.mark.django_db


def test_children_of_a_regency(client: Client) -> None:
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    response = client.get("/api/v1/regions/36.03/children")
    assert response.status_code == 200
    codes = [r["code"] for r in response.json()]
    assert "36.03.01" in codes and all(c.startswith("36.03.") for c in codes)


def test_unknown_code_is_404_with_a_reason(client: Client) -> None:
    client.force_login(make_user(Role.REGION, region_code="36.03"))
    response = client.get("/api/v1/regions/99.99/children")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_anonymous_is_refused(client: Client) -> None:
    assert client.get("/api/v1/regions/").status_code == 401
