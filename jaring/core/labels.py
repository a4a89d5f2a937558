"""Words for codes (issue #14): pages show a label, never an internal code. Each app registers its vocabularies
(claim types, payer types, occupations, sectors, allocation outcomes, audit actions...) here in its AppConfig's
`ready`; templates write `{{ value|label:"claim_type" }}`; tests/test_words_not_codes.py reads every registered
code and fails on any that a page shows as text. The stable code stays in small print, the API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

VOCABULARIES: dict[str, dict[str, str]] = {}
ENGLISH: dict[str, dict[str, str]] = {}  # the same vocabularies in English, for pages in English


def vocabulary_register(
    name: str, labels: Mapping[Any, str], english: Mapping[Any, str] | None = None
) -> None:
    VOCABULARIES.setdefault(name, {}).update({str(k): str(v) for k, v in labels.items()})
    if english:
        ENGLISH.setdefault(name, {}).update({str(k): str(v) for k, v in english.items()})


def label_of(vocabulary: str, code: object) -> str:
    """The label of a code in the page's language (English where the app gave it), or the code itself when the
    vocabulary does not know it (never an empty cell)."""
    text = "" if code is None else str(code)
    if (translation.get_language() or "").startswith("en"):
        found = ENGLISH.get(vocabulary, {}).get(text)
        if found:
            return found
    return VOCABULARIES.get(vocabulary, {}).get(text, text)


def registered_codes() -> set[str]:
    return {code for labels in VOCABULARIES.values() for code in labels}
