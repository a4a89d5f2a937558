"""English is complete (issue #14): every message a template marks for translation ({% translate %},
{% blocktranslate %}) has its English text in the catalogue; a new message without one fails here, with the
file that holds it. Templates are read the way makemessages reads them (Django's templatize)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

import jaring
from jaring.core.factories import make_user
from jaring.core.rules import Role

ROOT = Path(jaring.__file__).parent
# templatize writes each message as gettext('...'), pgettext('ctx', '...') or ngettext('...', '...', n)
CALL = re.compile(
    r"\b(?:gettext|pgettext|ngettext|npgettext)\((?:u?'((?:[^'\\]|\\.)*)'\s*,\s*)?u?'((?:[^'\\]|\\.)*)'"
)


def _messages() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for match in CALL.finditer(code):
            text = match.group(2).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
            found.setdefault(text, set()).add(str(path.relative_to(ROOT)))
    return found


def test_templates_mark_their_messages() -> None:
    messages = _messages()
    assert len(messages) > 300  # the reader finds the templates' messages (a broken pattern finds none)
    assert "Laporkan klaim" in messages and "Simulasi alokasi" in messages


def test_every_template_message_has_its_english_text() -> None:
    with translation.override("en"):
        catalog = translation.trans_real.translation("en")._catalog  # type: ignore[attr-defined]
        missing = {}
        for text, where in _messages().items():
            msgid = text.replace("%", "%%") if "%(" not in text else text
            if not (catalog.get(msgid) or catalog.get(text)):
                missing[text] = sorted(where)[:2]
    assert not missing, "messages without English:\n" + "\n".join(
        f"{t!r}: {w}" for t, w in sorted(missing.items())
    )


@pytest.mark.django_db
def test_a_page_in_english_reads_in_english(client: Client, settings: Any) -> None:
    """The language switch's cookie: the claim form of a village officer, in English."""
    client.force_login(make_user(Role.VILLAGE, region_code="36.03.01.2003"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("claims:claim_list")).content.decode()
    assert 'lang="en"' in html and "Report a claim" in html and "Laporkan klaim" not in html
    assert "Choose the claim type: the form asks only for what that type needs." in html


ENGLISH_LATER = {
    "audit_action"
}  # the audit trail's words stay Indonesian for now (closing note of issue #14)


def test_every_vocabulary_has_english_for_every_code() -> None:
    from jaring.core.labels import ENGLISH, VOCABULARIES  # noqa: PLC0415

    missing = {name: sorted(set(codes) - set(ENGLISH.get(name, {})))
               for name, codes in VOCABULARIES.items() if name not in ENGLISH_LATER}  # fmt: skip
    assert not any(missing.values()), missing


@pytest.mark.parametrize(("language", "text"), [("id", "Pedagang Kaki Lima"), ("en", "Street vendor")])
def test_a_label_follows_the_page_language(language: str, text: str) -> None:
    from jaring.core.labels import label_of  # noqa: PLC0415

    with translation.override(language):
        assert label_of("occupation", "pedagang_kaki_lima") == text
