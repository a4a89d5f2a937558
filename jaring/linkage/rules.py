"""Duplicate detection's own rules (issue #3): NIK slips, which pair a clerk sees first, which record survives a
merge, what differs between two records. Names are compared in the registry's normal form
(registry.rules.names). Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass


def nik_typo_consistent(a: str | None, b: str | None) -> bool:
    """Two different 16-digit NIKs that one person's NIK could become by a slip: one digit mistyped, two
    neighbouring digits swapped, or the last digit turned into 0 by Excel (a NIK typed as a number keeps 15
    significant digits)."""
    if not a or not b or a == b or len(a) != 16 or len(b) != 16 or not (a + b).isdigit():
        return False
    if a[:15] == b[:15] and "0" in (a[15], b[15]):
        return True
    diff = [i for i in range(16) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def pair_priority(*, probability: float, nik_typo: bool, high: float) -> int:
    """Order of the review queue: 0 = above the high threshold and the NIKs differ as a typo would make them
    (proposed first), 1 = above the high threshold, 2 = the rest."""
    if probability >= high:
        return 0 if nik_typo else 1
    return 2


@dataclass(frozen=True)
class MergeSide:
    worker_id: int
    has_nik: bool
    active_card: bool
    claims: int


def survivor_choice(a: MergeSide, b: MergeSide) -> int:
    """Which record a merge keeps when the clerk does not choose: the one with a NIK, then the one with an
    active card, then with claims, then the older record (the lower id)."""
    key = lambda s: (not s.has_nik, not s.active_card, -s.claims, s.worker_id)  # noqa: E731
    return min(a, b, key=key).worker_id


def differences(a: dict[str, object], b: dict[str, object]) -> set[str]:
    """The fields two records disagree on, for highlighting side by side (empty vs a value is a difference)."""
    return {k for k in a.keys() & b.keys() if (a[k] or "") != (b[k] or "")}


def evidence_words(weight: float | None) -> str:
    """One field's evidence as a clerk reads it, from its match weight (log2 of the Bayes factor: +1 makes
    "the same person" twice as likely, -1 half as likely)."""
    if weight is None:
        return "tidak dinilai"
    if weight >= 4:
        return "sangat mendukung orang yang sama"
    if weight >= 1:
        return "mendukung orang yang sama"
    if weight > -1:
        return "hampir tidak berpengaruh"
    if weight > -4:
        return "mendukung dua orang berbeda"
    return "sangat mendukung dua orang berbeda"


def bayes_factor_text(bf: float | None) -> str:
    """ "× 120" (that many times likelier the same person), "÷ 8" (that many times less likely), "× 1"."""
    if bf is None or bf <= 0:
        return "—"
    if bf >= 1:
        return f"× {bf:,.0f}".replace(",", ".") if bf >= 10 else f"× {bf:.1f}".replace(".", ",")
    inverse = 1 / bf
    return f"÷ {inverse:,.0f}".replace(",", ".") if inverse >= 10 else f"÷ {inverse:.1f}".replace(".", ",")
