"""What a claim needs on paper and how it moves: the documents per claim type, the file types a document may
be, and the next step from each status. Pure."""

from __future__ import annotations

from collections.abc import Mapping

from jaring.claims.rules.schedule import ClaimType

# Documents a claim needs before it can be verified (BPJS claim requirements; a decision where they vary).
REQUIRED_DOCUMENTS: Mapping[ClaimType, frozenset[str]] = {
    ClaimType.JKM: frozenset({"death_certificate", "id_card", "family_card"}),
    ClaimType.JKK_DEATH: frozenset({"death_certificate", "id_card", "family_card", "accident_report"}),
    ClaimType.JKK_TOTAL_DISABILITY: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_PARTIAL_DISABILITY: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_STMB: frozenset({"id_card", "accident_report"}),
    ClaimType.JKK_TRANSPORT: frozenset({"id_card", "accident_report"}),
    ClaimType.JKK_MEDICAL: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_HOME_CARE: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.JKK_AIDS: frozenset({"id_card", "accident_report", "medical_bill"}),
    ClaimType.SCHOLARSHIP: frozenset({"family_card", "school_certificate"}),
}
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def missing_documents(*, claim: ClaimType, present: set[str]) -> list[str]:
    return sorted(REQUIRED_DOCUMENTS[claim] - present)


def document_kind(head: bytes) -> str | None:
    """The content type a file's first bytes prove (never the name or the browser's word)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


# The steps of a claim: from each status, where it may go next (rejection is possible until paid).
NEXT_STEP = {"reported": "documents", "documents": "verified", "verified": "approved", "approved": "paid"}
