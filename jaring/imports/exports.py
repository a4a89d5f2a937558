"""Spreadsheets a village office gets back: the upload template (Indonesian headers, Excel data validation)
and the rejected rows of a batch with an error column, ready to fix and upload again."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import xlsxwriter

from jaring.core.config import setting_int
from jaring.imports import rules
from jaring.registry.rules import OCCUPATIONS, rows

TEMPLATE_HELP = {
    "nik": "16 digit, format kolom Teks",
    "full_name": "sesuai KTP",
    "sex": "L atau P",
    "birth_date": "dd-mm-yyyy",
    "village_code": "contoh 36.03.01.2003",
    "phone": "contoh 081234567890",
    "occupation": "pilih dari daftar",
    "ecosystem": "Desa, Pasar, UMKM, Rentan",
    "sector": "Transportasi atau Lainnya",
    "income": "rupiah per bulan, minimal 1000000",
    "poverty_decile": "1-10, bila ada",
}


def _headers() -> list[str]:
    return [rules.HEADER_NAMES[f][0] for f in rows.TEMPLATE_FIELDS]


def template_xlsx() -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    ws = wb.add_worksheet("Daftar Pekerja")
    lists = wb.add_worksheet("Pilihan")
    for i, occ in enumerate(OCCUPATIONS):
        lists.write_string(i, 0, occ.label)
    lists.hide()
    last = 100_000
    for col, (field, header) in enumerate(zip(rows.TEMPLATE_FIELDS, _headers(), strict=True)):
        ws.write_string(0, col, header, head)
        ws.set_column(col, col, 22, text if field in ("nik", "village_code", "phone") else None)
        hint = TEMPLATE_HELP.get(field)
        if hint:
            ws.write_comment(0, col, hint)
    cols = {f: i for i, f in enumerate(rows.TEMPLATE_FIELDS)}
    ws.set_column(cols["birth_date"], cols["birth_date"], 14, date)
    ws.data_validation(1, cols["nik"], last, cols["nik"], {
        "validate": "length", "criteria": "==", "value": 16,
        "error_title": "NIK", "error_message": "NIK harus 16 digit (format kolom Teks).",
    })  # fmt: skip
    ws.data_validation(1, cols["sex"], last, cols["sex"], {"validate": "list", "source": ["L", "P"]})
    ws.data_validation(1, cols["birth_date"], last, cols["birth_date"], {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(1900, 1, 1), "maximum": dt.date(2100, 1, 1),
        "error_message": "Isi tanggal lahir, contoh 17-08-1980.",
    })  # fmt: skip
    ws.data_validation(1, cols["occupation"], last, cols["occupation"], {
        "validate": "list", "source": f"=Pilihan!$A$1:$A${len(OCCUPATIONS)}",
    })  # fmt: skip
    ws.data_validation(1, cols["ecosystem"], last, cols["ecosystem"], {
        "validate": "list", "source": ["Desa", "Pasar", "UMKM", "Rentan"],
    })  # fmt: skip
    ws.data_validation(
        1, cols["sector"], last, cols["sector"], {"validate": "list", "source": ["Transportasi", "Lainnya"]}
    )
    low, high = setting_int("INCOME_MIN"), setting_int("INCOME_MAX")
    ws.data_validation(1, cols["income"], last, cols["income"], {
        "validate": "integer", "criteria": "between", "minimum": low, "maximum": high,
        "error_message": f"Penghasilan Rp {low:,} sampai Rp {high:,}.".replace(",", "."),
    })  # fmt: skip
    ws.data_validation(1, cols["poverty_decile"], last, cols["poverty_decile"], {
        "validate": "integer", "criteria": "between", "minimum": 1, "maximum": 10,
    })  # fmt: skip
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


def rejected_xlsx(staged: pl.DataFrame) -> bytes:
    """The rejected rows as they were written, the template's headers, and a last column saying what to fix."""
    rejected = staged.filter(pl.col("status") == "rejected")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("Baris Ditolak")
    headers = [*_headers(), "Lembar Asal", "Baris Asal", "Kesalahan"]
    for col, h in enumerate(headers):
        ws.write_string(0, col, h, head)
    ws.set_column(0, len(rows.TEMPLATE_FIELDS) - 1, 20, text)
    ws.set_column(len(headers) - 1, len(headers) - 1, 90)
    raw_cols = [f"raw_{f}" for f in rows.TEMPLATE_FIELDS]
    for r, row in enumerate(rejected.select(*raw_cols, "sheet", "row", "problems").iter_rows(), start=1):
        for c, value in enumerate(row[: len(raw_cols)]):
            ws.write_string(r, c, value or "", text)
        ws.write_string(r, len(raw_cols), row[-3] or "")
        ws.write_number(r, len(raw_cols) + 1, row[-2])
        ws.write_string(r, len(raw_cols) + 2, row[-1] or "")
    wb.close()
    return buf.getvalue()
