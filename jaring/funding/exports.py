"""What a sponsor's office gets: the list of workers whose sponsorship ends (with the invitation to continue as
mandiri) as a spreadsheet, and a donor's receipt with the people they protect (names masked) as a PDF."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from jaring.core.pdf import payment_document, rp, table, va_grouped
from jaring.core.rules import mask_name
from jaring.funding.rules import INVITATION_TEXT
from jaring.funding.selectors import Ending, FundedRow, ProgramRow


def ending_xlsx(report: Ending) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("Berakhir")
    ws.write_string(
        0, 0, f"Pendanaan yang berakhir dalam {report.days} hari sejak {report.today:%d-%m-%Y}", bold
    )
    columns = ["Sponsor", "Program", "Kode desa", "Desa", "Nama", "NIK", "Bulan terakhir didanai", "Undangan"]
    for col, name in enumerate(columns):
        ws.write_string(2, col, name, head)
    ws.set_column(0, 1, 28)
    ws.set_column(3, 4, 24)
    ws.set_column(5, 6, 18)
    ws.set_column(7, 7, 90)
    for i, row in enumerate(report.rows, start=3):
        for col, value in enumerate(
            (row.sponsor, row.program, row.village_code, row.village, row.name, row.nik, row.last_period)
        ):
            ws.write_string(i, col, value)
        ws.write_string(i, 7, row.invitation, wrap)
    per = wb.add_worksheet("Per desa")
    for col, name in enumerate(["Kode desa", "Desa", "Pekerja"]):
        per.write_string(0, col, name, head)
    for i, (code, name, n) in enumerate(report.by_village, start=1):
        per.write_string(i, 0, code)
        per.write_string(i, 1, name)
        per.write_number(i, 2, n)
    text = wb.add_worksheet("Teks undangan")
    text.write_string(0, 0, "Teks undangan (isian dalam kurung kurawal diganti per pekerja):", bold)
    text.write_string(1, 0, INVITATION_TEXT, wrap)
    text.set_column(0, 0, 110)
    wb.close()
    return buf.getvalue()


RECEIPT_MAX_ROWS = 1_000


def donation_receipt_pdf(program: ProgramRow, rows: list[FundedRow], donor: str) -> bytes:
    """The donor's receipt: what they give, into which virtual account, and whom it protects (names masked,
    whatever the viewer's role: the document leaves the office)."""
    pdf = payment_document(
        title="Tanda Terima Donasi Perlindungan Pekerja Rentan",
        subtitle=f"Nomor {program.id} - {timezone.localdate():%d-%m-%Y} - BPJS Ketenagakerjaan / Jaring",
        facts=[
            ("Donatur", donor),
            ("Program", program.name),
            (
                "Masa perlindungan",
                f"{program.first_period} s.d. {program.last_period} ({program.months} bulan)",
            ),
            ("Pekerja dilindungi", f"{program.funded_workers:,}".replace(",", ".")),
            ("Program", "Jaminan Kecelakaan Kerja (JKK) dan Jaminan Kematian (JKM)"),
        ],
        banner=f"Jumlah donasi {rp(program.committed)} - virtual account {va_grouped(program.va_number)}",
        note="Terima kasih. Iuran seluruh masa perlindungan ditagihkan sekali ke virtual account di atas; "
        "perlindungan setiap bulan berlaku bila iurannya lunas. Nama penerima disamarkan untuk melindungi data "
        "pribadi (UU 27/2022).",
    )
    table(
        pdf, (10, 70, 30, 40, 30), ("No", "Nama (disamarkan)", "Kode desa", "Pekerjaan", "Iuran"),
        ((str(i), mask_name(row.name)[:40], row.village_code, row.occupation, rp(row.cost))
         for i, row in enumerate(rows[:RECEIPT_MAX_ROWS], start=1)),
    )  # fmt: skip
    if len(rows) > RECEIPT_MAX_ROWS:
        pdf.cell(0, 5, f"... dan {len(rows) - RECEIPT_MAX_ROWS:,} pekerja lagi.")
    return bytes(pdf.output())
