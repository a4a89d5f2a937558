"""What every PDF document of Jaring shares (fpdf2 core fonts): text the font can print, rupiah, a table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fpdf import FPDF


def printable(text: str) -> str:
    """The core fonts know Latin-1 only: anything else becomes '?' instead of failing the document."""
    return text.encode("latin-1", "replace").decode("latin-1")


def rp(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def table(pdf: FPDF, widths: Sequence[float], heads: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A bordered table with a shaded header row (the fill colour is the caller's)."""
    pdf.set_font("Helvetica", "B", 8)
    for w, h in zip(widths, heads, strict=True):
        pdf.cell(w, 6, h, border=1, fill=True)
    pdf.ln()
    pdf.set_font("Helvetica", "", 8)
    for cells in rows:
        for w, text in zip(widths, cells, strict=True):
            pdf.cell(w, 5, printable(text), border=1)
        pdf.ln()
