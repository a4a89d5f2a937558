"""The menu offers each role only what it may open (issue #12: "Klaim" answered 403 to regency officers,
sponsors and donors, "Donasi" to agents), and a refusal reads as a sentence with its code."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.rules import Role
from jaring.core.selectors import SYSTEM
from jaring.funding.services import sponsor_create
from jaring.registry.factories import VILLAGE

pytestmark = pytest.mark.django_db

SCOPES: dict[Role, dict[str, str]] = {
    Role.ADMIN: {},
    Role.BRANCH: {"branch_code": "KC-TGR-CKP"},
    Role.REGION: {"region_code": "36.03"},
    Role.VILLAGE: {"region_code": VILLAGE},
    Role.AGENT: {"region_code": VILLAGE[:8]},
    Role.SPONSOR: {"sponsor_ref": "pt-contoh"},
}


def _client(role: Role) -> Client:
    sponsor_create(
        name="PT Contoh", payer_type="csr", region_code="", ref="pt-contoh", viewer=SYSTEM, actor=None
    )
    client = Client()
    client.force_login(make_user(role, **SCOPES[role]))
    return client


def _menu(html: str) -> list[str]:
    nav = html[html.index("<nav") : html.index("</nav>")]
    return re.findall(r'href="([^"]+)"', nav)


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_entry_and_tab_opens_for_the_role(role: Role) -> None:
    client = _client(role)
    links = _menu(client.get("/").content.decode())
    assert "/" in links and "/pekerja/" in links
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, (role, link, response.status_code)
        if link == "/dana/":
            tabs = re.findall(
                r'href="(/dana/[^"]*)"', response.content.decode().split('class="tabs"')[1][:2000]
            )
            for tab in tabs:
                assert client.get(tab).status_code == 200, (role, tab)


@pytest.mark.parametrize(
    ("role", "hidden"),
    [(Role.REGION, "/klaim/"), (Role.SPONSOR, "/klaim/"), (Role.AGENT, "/dana/"), (Role.SPONSOR, "/impor/"),
     (Role.VILLAGE, "/duplikat/")],
)  # fmt: skip
def test_pages_a_role_may_not_use_are_not_offered_and_refuse_in_words(role: Role, hidden: str) -> None:
    client = _client(role)
    assert hidden not in _menu(client.get("/").content.decode())
    if hidden in ("/klaim/", "/duplikat/"):
        refused = client.get(hidden)
        text = refused.content.decode()
        # the role's refusal in words (core.rules.DENIED), its code in small print; not "no role yet"
        assert refused.status_code == 403 and "Tidak diizinkan" in text and "_NOT_ALLOWED</small>" in text
        assert "belum memiliki peran" not in text
