"""Workers for claim tests: October 2026 billed and paid on a given day (before or after the event)."""

from __future__ import annotations

import io
from typing import Any

from fpdf import FPDF
from PIL import Image

from jaring.contributions.factories import at, member
from jaring.contributions.models import BillLine, Payer
from jaring.contributions.services import billing_run, payment_record
from jaring.core.selectors import SYSTEM
from jaring.core.types import Period
from jaring.registry.models import Worker


def covered_member(*, paid_on: str = "2026-10-03", **cells: Any) -> Worker:
    """A self-paying member whose October 2026 was billed on the 1st and paid on `paid_on`."""
    worker = member(**cells)
    billing_run(period=Period(2026, 10), viewer=SYSTEM, actor=None, issued_at=at("2026-10-01"))
    amount = BillLine.objects.get(worker=worker, period="2026-10").amount
    payment_record(va_number=Payer.objects.get(worker=worker).va_number, amount=amount, paid_at=at(paid_on), recorded_at=at(paid_on),
                   reference=f"R{worker.pk}-{paid_on}", bank="demo", viewer=SYSTEM, actor=None)  # fmt: skip
    return worker


def pdf_bytes(text: str = "Dokumen contoh Jaring") -> bytes:
    """A real one-page PDF (claim documents are checked whole: a PDF must open and have a page)."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    """A real PNG that decodes (a photo of a document, small)."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 120)).save(out, format="PNG")
    return out.getvalue()
