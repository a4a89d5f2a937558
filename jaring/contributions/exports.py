"""What a payer's finance office gets: the bill as a spreadsheet (every line) and as a PDF (the bill with its
payment instructions and the lines), and the arrears lists as spreadsheets."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

import segno
import xlsxwriter
from django.utils import timezone
from fpdf import FPDF

from jaring.contributions.selectors import ArrearsRow, BillRow, Card, LineRow
from jaring.core.labels import label_of
from jaring.core.pdf import payment_document, printable, rp, table, va_grouped


def bill_xlsx(bill: BillRow, lines: Iterable[LineRow]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = wb.add_format({"num_format": "#,##0"})
    ws = wb.add_worksheet("Tagihan")
    facts = [
        ("Tagihan iuran BPJS Ketenagakerjaan (BPU)", ""),
        ("Pembayar", bill.payer_name),
        ("Jenis pembayar", bill.payer_type),
        ("Nomor virtual account", bill.va_number),
        ("Bulan tagihan", f"{bill.period} (ke-{bill.seq})"),
        ("Bulan kepesertaan", f"{bill.first_period} s.d. {bill.last_period}"),
        ("Jumlah peserta-bulan", str(bill.lines_count)),
        ("Jumlah tagihan", rp(bill.amount_total)),
        ("Jatuh tempo", bill.due_date.strftime("%d-%m-%Y")),
    ]
    for row, (label, value) in enumerate(facts):
        ws.write_string(row, 0, label, bold)
        ws.write_string(row, 1, value)
    columns = ["No", "Nama", "NIK", "KPJ", "Kode desa", "Bulan", "Penghasilan", "JKK", "JKM", "JHT", "Jumlah",
               "Status", "Tanggal bayar"]  # fmt: skip
    top = len(facts) + 1
    for col, name in enumerate(columns):
        ws.write_string(top, col, name, head)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 4, 18)
    for i, line in enumerate(lines, start=1):
        r = top + i
        ws.write_number(r, 0, i)
        ws.write_string(r, 1, line.full_name)
        ws.write_string(r, 2, line.nik)
        ws.write_string(r, 3, line.kpj)
        ws.write_string(r, 4, line.village_code)
        ws.write_string(r, 5, line.period)
        for col, number in enumerate((line.income, line.jkk, line.jkm, line.jht, line.amount), start=6):
            ws.write_number(r, col, number, money)
        ws.write_string(r, 11, line.status_label)
        ws.write_string(r, 12, timezone.localtime(line.paid_at).strftime("%d-%m-%Y") if line.paid_at else "")
    wb.close()
    return buf.getvalue()


PDF_MAX_LINES = 2_000


def bill_pdf(bill: BillRow, lines: list[LineRow], *, office: str = "") -> bytes:
    """The bill as a document: who pays, how much, into which virtual account, by when; then the lines (the
    first PDF_MAX_LINES; the spreadsheet carries all of them)."""
    pdf = payment_document(
        title="Tagihan Iuran BPJS Ketenagakerjaan - Bukan Penerima Upah",
        subtitle=f"Nomor tagihan {bill.id} - diterbitkan {timezone.localtime(bill.issued_at):%d-%m-%Y}",
        facts=[
            ("Pembayar", bill.payer_name),
            ("Jenis pembayar", label_of("payer_type", bill.payer_type)),
            ("Bulan tagihan", f"{bill.period} (ke-{bill.seq})"),
            ("Bulan kepesertaan", f"{bill.first_period} s.d. {bill.last_period}"),
            ("Peserta-bulan", f"{bill.lines_count:,}".replace(",", ".")),
            ("Jatuh tempo", bill.due_date.strftime("%d-%m-%Y")),
        ],
        banner=f"Bayar {rp(bill.amount_total)} ke virtual account {va_grouped(bill.va_number)}",
        note="Pembayaran dicocokkan dengan nomor virtual account. Pembayaran sebagian melunasi bulan tertua lebih "
        "dahulu; kelebihan menjadi saldo untuk bulan berikutnya. Satu bulan terlindungi bila iurannya lunas.",
        office=office,
    )
    table(
        pdf, (10, 62, 34, 22, 18, 22, 22), ("No", "Nama", "NIK", "KPJ", "Bulan", "Jumlah", "Status"),
        ((str(i), line.full_name[:38], line.nik, line.kpj, line.period, rp(line.amount), line.status_label)
         for i, line in enumerate(lines[:PDF_MAX_LINES], start=1)),
    )  # fmt: skip
    if len(lines) > PDF_MAX_LINES:
        pdf.ln(2)
        pdf.cell(0, 5, f"... dan {len(lines) - PDF_MAX_LINES:,} baris lagi: lihat berkas .xlsx tagihan ini.")
    return bytes(pdf.output())


def arrears_xlsx(rows: Iterable[ArrearsRow], *, title: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money = wb.add_format({"num_format": "#,##0"})
    ws = wb.add_worksheet("Tunggakan")
    ws.write_string(0, 0, title, wb.add_format({"bold": True}))
    for col, name in enumerate(["Kode", "Nama", "Pekerja", "Bulan belum dibayar", "Jumlah untuk memulihkan"]):
        ws.write_string(2, col, name, head)
    ws.set_column(1, 1, 36)
    ws.set_column(2, 4, 20)
    for i, row in enumerate(rows, start=3):
        ws.write_string(i, 0, row.key)
        ws.write_string(i, 1, row.name)
        ws.write_number(i, 2, row.workers)
        ws.write_number(i, 3, row.months)
        ws.write_number(i, 4, row.amount, money)
    wb.close()
    return buf.getvalue()


CARD_W, CARD_H = 85.6, 54.0  # ISO/IEC 7810 ID-1, the size of a bank card


def _month_label(period: str) -> str:
    year, month = period.split("-")
    return f"{MONTHS_ID[int(month) - 1]} {year}"


MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def _card(pdf: FPDF, card: Card, url: str, x: float, y: float) -> None:
    pdf.set_draw_color(11, 110, 79)
    pdf.set_fill_color(11, 110, 79)
    pdf.rect(x, y, CARD_W, CARD_H)
    pdf.rect(x, y, CARD_W, 9, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 9)
    pdf.set_xy(x + 3, y + 1.5)
    pdf.cell(CARD_W - 6, 6, printable("KARTU PESERTA BPJS KETENAGAKERJAAN - BPU"))
    pdf.set_text_color(29, 39, 51)
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=1)
    pdf.image(qr, x=x + CARD_W - 26, y=y + 12, w=23, h=23)
    pdf.set_xy(x + 3, y + 11)
    pdf.set_font("Helvetica", "B", 10)
    pdf.multi_cell(CARD_W - 31, 5, printable(card.full_name[:60]))
    lines = [
        ("KPJ", card.kpj),
        ("Program", card.programs),
        ("Desa", card.village),
        (
            "Dilindungi",
            f"s.d. {_month_label(card.cover.paid_until)}" if card.cover.paid_until else "belum bulan ini",
        ),
        ("Dibayar oleh", card.cover.payer or "-"),
    ]
    pdf.set_font("Helvetica", "", 7.5)
    for label, value in lines:
        pdf.set_x(x + 3)
        pdf.cell(17, 4.2, printable(label))
        pdf.cell(CARD_W - 51, 4.2, printable(value[:40]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(x + 3, y + CARD_H - 6)
    pdf.set_font("Helvetica", "", 6)
    pdf.cell(
        CARD_W - 6,
        4,
        printable("Pindai kode QR untuk cek perlindungan bulan ini / scan to check this month's cover"),
    )


def cards_pdf(cards: list[Card], url_of: Callable[[Card], str]) -> bytes:
    """One card on a card-size page, or a village's cards ten to an A4 sheet (cut along the lines)."""
    if len(cards) == 1:
        pdf = FPDF(orientation="L", unit="mm", format=(CARD_H, CARD_W))
        pdf.set_auto_page_break(auto=False)
        pdf.set_margins(0, 0, 0)
        pdf.add_page()
        _card(pdf, cards[0], url_of(cards[0]), 0, 0)
        return bytes(pdf.output())
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    for i, card in enumerate(cards):
        if i % 10 == 0:
            pdf.add_page()
        col, row = i % 2, (i % 10) // 2
        _card(pdf, card, url_of(card), 15 + col * (CARD_W + 8), 12 + row * (CARD_H + 2))
    return bytes(pdf.output())
