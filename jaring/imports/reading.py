"""Reading uploaded lists (.xlsx, .xls, .csv) into sheets of rows, in chunks, with one clear error for a file
that cannot be used. Cells keep their type (text, number, date) so that a NIK stored as a number is caught."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import python_calamine as pc

from jaring.core.config import setting_int
from jaring.core.errors import FileRejected
from jaring.imports.rules import HeaderMatch, header_find
from jaring.registry.rules.rows import FIELDS

CHUNK_ROWS = 50_000
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass
class Chunk:
    """Up to CHUNK_ROWS non-empty data rows: `frame` has "row" (the row number the spreadsheet shows),
    "nik_number" (the NIK cell held a number) and one String column per recognised field with the cell's
    text. For Excel, `rows` keeps the typed cells of each frame row (text is not the whole truth there: a
    number, a date), read back only for the rows the fast path hands to RowValidator."""

    frame: pl.DataFrame
    rows: list[list[Any]] | None = None
    fields: list[tuple[str, int]] | None = None

    def cells(self, positions: list[int]) -> list[dict[str, object]]:
        """The typed cells of some frame rows, by position."""
        if self.rows is None or self.fields is None:
            return self.frame[positions].drop("row", "nik_number").rows(named=True)
        out = []
        for i in positions:
            r = self.rows[i]
            width = len(r)
            out.append({f: (r[j] if j < width else None) for f, j in self.fields})
        return out


@dataclass
class Sheet:
    name: str
    header: HeaderMatch
    chunks: Iterator[Chunk]
    rows_estimate: int = 0  # data rows below the header, blank ones included (for progress)


def cell_text(value: object) -> str:
    """A cell as text for the vectorised checks; dates as dd-mm-yyyy (the rules read them back the same)."""
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _excel_chunk(rows: list[list[Any]], fields: list[tuple[str, int]], first_row: int) -> Chunk:
    columns = [j for _, j in fields]
    kept_numbers: list[int] = []
    kept: list[list[Any]] = []
    for k, r in enumerate(rows):
        width = len(r)
        if any(j < width and r[j] is not None and r[j] != "" for j in columns):
            kept_numbers.append(first_row + k)
            kept.append(r)
    data: dict[str, Any] = {"row": kept_numbers}
    for f, j in fields:
        cells = [r[j] if j < len(r) else None for r in kept]
        data[f] = [cell_text(v) for v in cells]
        if f == "nik":
            data["nik_number"] = [isinstance(v, int | float) and not isinstance(v, bool) for v in cells]
    data.setdefault("nik_number", [False] * len(kept))
    schema = {"row": pl.Int64, "nik_number": pl.Boolean, **{f: pl.String for f, _ in fields}}
    return Chunk(pl.DataFrame(data, schema=schema), kept, fields)


def _reject(code: str, message: str) -> FileRejected:
    return FileRejected(message, code=code)


NO_HEADER = (
    "Baris judul kolom tidak ditemukan. Baris judul harus berada di 20 baris pertama dan memuat setidaknya "
    "kolom 'Nama Lengkap' dan 'NIK' atau 'Tanggal Lahir'. Gunakan templat unggahan."
)


def file_kind(path: Path, file_name: str) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head.strip():
        raise _reject("FILE_EMPTY", "Berkas kosong.")
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE):
        with open(path, "rb") as fh:
            if _ENCRYPTED in fh.read(min(path.stat().st_size, 4 * 1024 * 1024)):
                raise _reject(
                    "FILE_PASSWORD_PROTECTED",
                    "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah lagi.",
                )
        return "xls"
    if b"\x00" in head or head.startswith(b"%PDF"):
        raise _reject(
            "FILE_NOT_SPREADSHEET",
            f"'{file_name}' bukan lembar kerja. Unggah berkas .xlsx, .xls atau .csv.",
        )
    return "csv"


def read_sheets(path: Path, file_name: str) -> list[Sheet]:
    kind = file_kind(path, file_name)
    sheets = _read_csv(path) if kind == "csv" else _read_excel(path)
    if not sheets:
        raise _reject("FILE_NO_HEADER", NO_HEADER)
    return sheets


_DIMENSION = re.compile(rb'<dimension ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"')
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_FAR_CELL = re.compile(rb'<c r="(?:[A-Z]{2,3}\d|[A-Z]\d{7})')  # beyond column Z or row 999,999: look closer


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _sheet_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int]:
    """The largest row and column a sheet declares (its dimension) or uses (its cells), read as a stream: a
    reader allocates the whole rectangle up to them."""
    rows = columns = 0
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 20):
            text = tail + chunk
            for found in _DIMENSION.finditer(text):
                last = found.group(3) or found.group(1), found.group(4) or found.group(2)
                rows, columns = max(rows, int(last[1])), max(columns, _column_number(last[0]))
            if _FAR_CELL.search(text):  # a list of up to 26 columns and under a million rows skips this
                for found in _CELL.finditer(text):
                    rows, columns = (
                        max(rows, int(found.group(2))),
                        max(columns, _column_number(found.group(1))),
                    )
            tail = text[-64:]
    return rows, columns


def xlsx_precheck(path: Path, *, max_rows: int, max_columns: int, max_unpacked: int) -> None:
    """Before a reader allocates anything: the workbook's unpacked size, and each sheet's declared area, which
    readers allocate whole (a 1.6 KB file declaring A1:XFD1048576 asked for 550 GB and aborted the process)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > max_unpacked:
                raise _reject("FILE_TOO_LARGE", f"Berkas ini lebih dari {max_unpacked // 2**20} MB setelah dibuka. "
                              "Simpan ulang hanya daftar pekerjanya, atau bagi menjadi beberapa berkas.")  # fmt: skip
            for member in members:
                if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
                    continue
                rows, columns = _sheet_extent(archive, member)
                if rows > max_rows + 1000 or columns > max_columns:
                    raise _reject("FILE_SHEET_TOO_LARGE", f"Sebuah lembar berisi sel sampai baris "
                                  f"{rows:,} dan kolom {columns:,}".replace(",", ".") + ", jauh lebih besar dari daftar "
                                  "pekerja. Hapus isi dan format di luar daftar (atau salin daftarnya ke berkas baru), "
                                  "simpan, lalu unggah lagi.")  # fmt: skip
    except zipfile.BadZipFile as exc:
        raise _reject("FILE_CORRUPT", "Berkas rusak atau bukan Excel yang sah. Buka di Excel, simpan ulang, lalu "
                      "unggah lagi.") from exc  # fmt: skip


def _read_excel(path: Path) -> list[Sheet]:
    with path.open("rb") as fh:
        zipped = fh.read(4) == _ZIP
    if zipped:
        xlsx_precheck(path, max_rows=setting_int("IMPORT_MAX_ROWS"), max_columns=setting_int("IMPORT_MAX_COLUMNS"),
                      max_unpacked=setting_int("IMPORT_MAX_UNPACKED_MB") * 2**20)  # fmt: skip
    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise _reject(
            "FILE_PASSWORD_PROTECTED",
            "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu unggah lagi.",
        ) from exc
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as exc:
        raise _reject(
            "FILE_CORRUPT",
            "Berkas rusak atau bukan Excel yang sah. Buka di Excel, simpan ulang, lalu unggah lagi.",
        ) from exc
    sheets: list[Sheet] = []
    any_rows = False
    for name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            rows = sheet.iter_rows()
            head = list(itertools.islice(rows, 20))
        except (pc.CalamineError, pc.XmlError, ValueError) as exc:
            raise _reject("FILE_CORRUPT", f"Lembar '{name}' rusak dan tidak dapat dibaca.") from exc
        if any(any(c not in ("", None) for c in r) for r in head):
            any_rows = True
        match = header_find(head)
        if match is None:
            continue
        rest = head[match.row_index + 1 :]

        fields = [(f, match.columns[f]) for f in FIELDS if f in match.columns]

        def chunks(it: Iterator[list[Any]], fields: list[tuple[str, int]], first: int) -> Iterator[Chunk]:
            while batch := list(itertools.islice(it, CHUNK_ROWS)):
                yield _excel_chunk(batch, fields, first)
                first += len(batch)

        # calamine yields rows from the sheet's first row: index + 1 is the row number Excel shows.
        estimate = max(sheet.end[0] + 1 - (match.row_index + 1), 0) if sheet.end else 0
        sheets.append(
            Sheet(name, match, chunks(itertools.chain(rest, rows), fields, match.row_index + 2), estimate)
        )
    if not any_rows:
        raise _reject("FILE_EMPTY", "Berkas tidak berisi data.")
    return sheets


def _decode(raw: bytes) -> bytes:
    """Polars reads UTF-8: a BOM is dropped, Windows-1252 (Excel's "CSV" on Windows) is converted."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        raw.decode("utf-8")
        return raw
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace").encode("utf-8")


def _read_csv(path: Path) -> list[Sheet]:
    data = _decode(path.read_bytes())
    head_text = data[:65536].decode("utf-8", errors="ignore")
    head_lines = head_text.splitlines()[:20]
    if not any(line.strip() for line in head_lines):
        raise _reject("FILE_EMPTY", "Berkas tidak berisi data.")
    sample = "\n".join(head_lines)
    separator = max((";", ",", "\t", "|"), key=sample.count)
    head_rows = list(csv.reader(io.StringIO(sample), delimiter=separator))
    match = header_find(head_rows)
    if match is None:
        return []
    width = max(len(head_rows[match.row_index]), max(match.columns.values()) + 1)
    try:
        frame = pl.read_csv(
            data,
            separator=separator,
            has_header=False,
            skip_rows=match.row_index + 1,
            infer_schema=False,
            truncate_ragged_lines=True,
            quote_char='"',
            new_columns=[f"c{i}" for i in range(width)],
            schema_overrides={f"c{i}": pl.String for i in range(width)},
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise _reject(
            "FILE_CORRUPT",
            f"Berkas CSV tidak dapat dibaca ({type(exc).__name__}). Simpan ulang sebagai CSV UTF-8.",
        ) from exc

    fields = [(f, match.columns[f]) for f in FIELDS if f in match.columns]
    frame = frame.with_row_index("row", offset=match.row_index + 2).select(
        pl.col("row").cast(pl.Int64),
        pl.lit(False).alias("nik_number"),
        *[pl.col(f"c{j}").fill_null("").alias(f) for f, j in fields],
    )
    frame = frame.filter(pl.any_horizontal(pl.col(f) != "" for f, _ in fields))

    def chunks() -> Iterator[Chunk]:
        for part in frame.iter_slices(CHUNK_ROWS):
            yield Chunk(part, None)

    return [Sheet("CSV", match, chunks(), frame.height)]
