"""What a sponsor's office gets: the list of workers whose sponsorship ends (with the invitation to continue as
mandiri) as a spreadsheet, and a donor's receipt with the people they protect (names masked) as a PDF."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils import timezone

from jaring.core.labels import label_of
from jaring.core.pdf import payment_document, rp, table, va_grouped
from jaring.core.rules import mask_name
from jaring.funding.rules import INVITATION_TEXT
from jaring.funding.selectors import Ending, FundedRow, ProgramRow, Received


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


def donation_receipt_pdf(
    program: ProgramRow,
    rows: list[FundedRow],
    donor: str,
    *,
    received: Received | None = None,
    office: str = "",
    places: dict[str, str] | None = None,
) -> bytes:
    """The donor's document (issue #14): an invoice with the virtual account until the money has arrived, a receipt
    only after; both list whom it protects (names masked whatever the viewer's role: the document leaves the
    office)."""
    got = received.amount if received else 0
    paid = received is not None and received.covers(program.committed)
    facts = [
        ("Donatur", donor),
        ("Program", program.name),
        ("Masa perlindungan", f"{program.first_period} s.d. {program.last_period} ({program.months} bulan)"),
        ("Pekerja dilindungi", f"{program.funded_workers:,}".replace(",", ".")),
        ("Manfaat", "Jaminan Kecelakaan Kerja (JKK) dan Jaminan Kematian (JKM)"),
    ]
    if paid and received is not None:
        facts.append(("Diterima", f"{rp(got)} ({received.payments} transfer, terakhir "
                                  f"{timezone.localtime(received.last_at):%d-%m-%Y})" if received.last_at else rp(got)))  # fmt: skip
        pdf = payment_document(
            title="Tanda Terima Donasi Perlindungan Pekerja Rentan",
            subtitle=f"Nomor {program.id} - {timezone.localdate():%d-%m-%Y}",
            facts=facts, office=office,
            banner=f"Telah diterima {rp(got)} - virtual account {va_grouped(program.va_number)}",
            note="Terima kasih. Donasi Anda telah kami terima dan melindungi pekerja di bawah ini selama masa "
            "perlindungan. Nama penerima disamarkan untuk melindungi data pribadi (UU 27/2022).",
        )  # fmt: skip
    else:
        if got:
            facts.append(("Sudah diterima", rp(got)))
        pdf = payment_document(
            title="Tagihan Donasi Perlindungan Pekerja Rentan",
            subtitle=f"Nomor {program.id} - {timezone.localdate():%d-%m-%Y} - belum lunas",
            facts=facts, office=office,
            banner=f"Bayar {rp(program.committed - got)} ke virtual account {va_grouped(program.va_number)}",
            note="Ini tagihan, bukan tanda terima: tanda terima diterbitkan setelah uangnya masuk ke virtual "
            "account di atas. Perlindungan setiap bulan berlaku bila iurannya lunas. Nama penerima disamarkan "
            "untuk melindungi data pribadi (UU 27/2022).",
        )  # fmt: skip
    table(
        pdf, (10, 60, 50, 40, 30), ("No", "Nama (disamarkan)", "Desa", "Pekerjaan", "Iuran"),
        ((str(i), mask_name(row.name)[:40], (places or {}).get(row.village_code, row.village_code)[:34],
          label_of("occupation", row.occupation)[:28], rp(row.cost))
         for i, row in enumerate(rows[:RECEIPT_MAX_ROWS], start=1)),
    )  # fmt: skip
    if len(rows) > RECEIPT_MAX_ROWS:
        pdf.cell(0, 5, f"... dan {len(rows) - RECEIPT_MAX_ROWS:,} pekerja lagi.")
    return bytes(pdf.output())
