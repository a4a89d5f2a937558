"""Words, not codes (issue #14): every page of the demo, as every role, shows labels; an internal code (a claim
type `jkk_stmb`, a payer type `apbd_kabkota`, an outcome `occupation_not_eligible`, an audit action
`import.commit`...) in the visible text fails. Codes may stay in small print (`class="code"`), in attributes,
the API and the CLI. The codes come from every vocabulary the apps register (core.labels)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jaring.claims.models import Claim
from jaring.contributions.models import Bill
from jaring.core.labels import VOCABULARIES, registered_codes
from jaring.funding.models import Program
from jaring.imports.models import ImportBatch
from jaring.registry.models import Worker
from tests.test_permission_matrix import PAGES, PUBLIC, ROLES, world  # noqa: F401 (the demo world fixture)

pytestmark = pytest.mark.django_db

# Codes that are also plain Indonesian words, written the same in a sentence (a label may say "mandiri").
ORDINARY_WORDS = {
    "mandiri",
    "donor",
    "desa",
    "petani",
    "nelayan",
    "buruh",
    "pedagang",
    "guru",
    "ojek",
    "rentan",
    "lainnya",
    "air",  # water; the code of travel by air
}
NOT_CODES = {"role"}  # role codes are also the demo's user names, shown beside the role's label
SKIP = {"logout", "set_language", "login", "imports:template", "password_change"}


class VisibleText(HTMLParser):
    """The text a person sees: no script or style, no small print of stable codes (`class="code"`)."""

    HIDDEN = {"script", "style", "template"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in self.HIDDEN or "code" in classes or (bool(self.stack) and self.stack[-1])
        self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _codes() -> list[str]:
    shown = {c for name, labels in VOCABULARIES.items() if name not in NOT_CODES for c in labels}
    return sorted(
        c for c in shown & registered_codes() if len(c) >= 3 and c not in ORDINARY_WORDS and c.lower() == c
    )


def test_every_vocabulary_is_registered() -> None:
    assert {
        "claim_type",
        "payer_type",
        "occupation",
        "sector",
        "outcome",
        "reason",
        "audit_action",
        "level",
    } <= set(VOCABULARIES)


def test_no_page_shows_an_internal_code(world: dict[str, Any]) -> None:  # noqa: F811
    records = {"worker": Worker.objects.filter(claims__isnull=False).values_list("pk", flat=True).first(),
               "claim": Claim.objects.values_list("pk", flat=True).first(),
               "bill": Bill.objects.values_list("pk", flat=True).first(),
               "program": Program.objects.values_list("pk", flat=True).first(),
               "batch": ImportBatch.objects.values_list("pk", flat=True).first()}  # fmt: skip
    pattern = re.compile(r"(?<![\w.@/-])(" + "|".join(re.escape(c) for c in _codes()) + r")(?![\w-])")
    found: dict[str, set[str]] = {}
    for who in ROLES:
        client = Client()
        client.force_login(world["users"][who])
        for name, (needs, args, writes) in PAGES.items():
            if writes or name in SKIP or (needs == PUBLIC and args):
                continue
            if args and (len(args) != 1 or records.get(args[0]) is None):
                continue
            path = reverse(name, args=[records[args[0]]]) if args else reverse(name)
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for match in pattern.finditer(visible(response.content.decode())):
                found.setdefault(match.group(1), set()).add(f"{name} ({who})")
    assert not found, "codes shown as text:\n" + "\n".join(
        f"{c}: {sorted(p)[:4]}" for c, p in sorted(found.items())
    )


def test_every_audit_action_and_claim_type_has_words() -> None:
    from jaring.claims.rules import CLAIM_TYPE_LABELS, ClaimType  # noqa: PLC0415
    from jaring.contributions.rules import PAYER_TYPE_LABELS, PayerType  # noqa: PLC0415
    from jaring.core.audit import ACTION_LABELS, AuditAction  # noqa: PLC0415

    assert set(ACTION_LABELS) == set(AuditAction)
    assert set(CLAIM_TYPE_LABELS) == set(ClaimType)
    assert set(PAYER_TYPE_LABELS) == set(PayerType)
