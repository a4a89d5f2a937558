"""Content-Security-Policy without inline scripts (issue #13): every page says where scripts and styles may come
from (Jaring only), and no template carries an inline script, an inline event handler or an inline style."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from jaring.core.factories import make_user
from jaring.core.rules import Role

pytestmark = pytest.mark.django_db
TEMPLATES = sorted(Path(__file__).resolve().parents[2].glob("**/templates/**/*.html"))


def test_pages_send_a_policy_that_allows_no_inline_script(client: Client) -> None:
    client.force_login(make_user(Role.BRANCH, branch_code="KC-TGR-CKP"))
    for url in ("/", "/pekerja/", "/klaim/", "/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", url
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_public_pages_send_it_too(client: Client) -> None:
    assert "script-src 'self'" in client.get("/klaim/status/")["Content-Security-Policy"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("jaring/", 1)[-1])
def test_no_template_has_inline_script_handlers_or_styles(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>", text)
    assert all("src=" in attrs or "application/json" in attrs for attrs in scripts), "an inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "an inline event handler (onclick=, onchange=, ...)"
    assert not re.search(r"\sstyle\s*=", text) and "<style" not in text, "an inline style"
