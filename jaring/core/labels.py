"""Words for codes (issue #14): pages show a label, never an internal code. Each app registers its vocabularies
(claim types, payer types, occupations, sectors, allocation outcomes, audit actions...) here in its AppConfig's
`ready`; templates write `{{ value|label:"claim_type" }}`; tests/test_words_not_codes.py reads every registered
code and fails on any that a page shows as text. The stable code stays in small print, the API and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

VOCABULARIES: dict[str, dict[str, str]] = {}


def vocabulary_register(name: str, labels: Mapping[Any, str]) -> None:
    VOCABULARIES.setdefault(name, {}).update({str(k): str(v) for k, v in labels.items()})


def label_of(vocabulary: str, code: object) -> str:
    """The label of a code, or the code itself when the vocabulary does not know it (never an empty cell)."""
    text = "" if code is None else str(code)
    return VOCABULARIES.get(vocabulary, {}).get(text, text)


def registered_codes() -> set[str]:
    return {code for labels in VOCABULARIES.values() for code in labels}
