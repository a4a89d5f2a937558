"""What every PDF document of Jaring shares (fpdf2 core fonts): text the font can print, rupiah, a table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fpdf import FPDF


def printable(text: str) -> str:
    """The core fonts know Latin-1 only: anything else becomes '?' instead of failing the document."""
    return text.encode("latin-1", "replace").decode("latin-1")


def rp(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def va_grouped(va: str) -> str:
    """A virtual account as people read it aloud at a bank counter: groups of four digits."""
    return " ".join(va[i : i + 4] for i in range(0, len(va), 4))


def letterhead(pdf: FPDF, office: str) -> None:
    """The issuing office's header over a document (issue #14): its name, what Jaring is, a rule."""
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_text_color(11, 110, 79)
    pdf.cell(0, 6, printable(office), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(
        0,
        4,
        "Jaring - perlindungan jaminan sosial pekerja rentan (JKK dan JKM)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    y = pdf.get_y() + 1
    pdf.set_draw_color(11, 110, 79)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(4)


def payment_document(
    *, title: str, subtitle: str, facts: Sequence[tuple[str, str]], banner: str, note: str, office: str = ""
) -> FPDF:
    """The first part every payment document shares (a bill, a donor's invoice or receipt): the office's header,
    title, number and date, the facts as label/value lines, the amount and virtual account on a shaded band, and a
    note. The caller adds its table."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    if office:
        letterhead(pdf, office)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, printable(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 5, printable(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    fact_lines(pdf, facts)
    pdf.ln(2)
    pdf.set_fill_color(221, 235, 247)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 9, printable(banner), fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, printable(note))
    pdf.ln(3)
    return pdf


def fact_lines(pdf: FPDF, facts: Sequence[tuple[str, str]], *, label_width: float = 45) -> None:
    """Label and value lines: the label in bold, the value beside it (a long value wraps under itself)."""
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(label_width, 6, printable(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, printable(value), new_x="LMARGIN", new_y="NEXT")


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
