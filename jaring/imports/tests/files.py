"""Build the kinds of file villages send, for tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import xlsxwriter

from jaring.imports.rules import HEADER_NAMES
from jaring.registry.rules.rows import TEMPLATE_FIELDS

HEADERS = [HEADER_NAMES[f][0] for f in TEMPLATE_FIELDS]


def row_of(cells: dict[str, object]) -> list[object]:
    return [cells.get(f, "") for f in TEMPLATE_FIELDS]


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    *,
    headers: Sequence[str] = HEADERS,
    title_rows: int = 0,
    sheet: str = "Data",
) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet(sheet)
    for t in range(title_rows):
        ws.write_string(t, 0, f"DAFTAR PEKERJA RENTAN {t}")
    ws.write_row(title_rows, 0, list(headers))
    for r, row in enumerate(rows, start=title_rows + 1):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif value is None:
                continue
            else:
                ws.write_string(r, c, str(value))
    wb.close()
    return buf.getvalue()


def csv_bytes(rows: Sequence[Sequence[object]], *, headers: Sequence[str] = HEADERS, delimiter: str = ",",
              encoding: str = "utf-8", title: str = "") -> bytes:  # fmt: skip
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter)
    if title:
        w.writerow([title])
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path
