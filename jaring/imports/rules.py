"""How a village list's columns are found: forgiving header matching ("No KTP", "Tgl. Lahir", title rows above
the header). Each row is then a worker record, validated by the registry's rule (registry.rules.rows).
Pure: no Django."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# ------------------------------------------------------------------------------------------ headers


# The template's headers (Indonesian), in order; the first name of each field is what the template writes.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "nik": ("NIK", "No KTP", "Nomor KTP", "No NIK", "NIK KTP", "Nomor Induk Kependudukan", "No Induk Kependudukan"),
    "full_name": ("Nama Lengkap", "Nama", "Nama Peserta", "Nama Pekerja", "Nama Sesuai KTP", "Nama Tenaga Kerja"),
    "sex": ("Jenis Kelamin", "JK", "L/P", "Kelamin", "Gender", "Sex"),
    "birth_place": ("Tempat Lahir", "Tmp Lahir", "Tpt Lahir"),
    "birth_date": ("Tanggal Lahir", "Tgl Lahir", "Tgl Lhr", "Tanggal Lhr", "Date of Birth"),
    "birth_place_date": ("Tempat Tanggal Lahir", "TTL", "Tempat/Tgl Lahir", "Tempat, Tanggal Lahir",
                         "Tempat/Tanggal Lahir"),
    "mother_name": ("Nama Ibu Kandung", "Ibu Kandung", "Nama Ibu"),
    "address": ("Alamat", "Alamat Lengkap", "Alamat Domisili", "Alamat Rumah"),
    "village_code": ("Kode Desa", "Kode Wilayah", "Kode Kelurahan", "Kode Desa/Kelurahan", "Kd Desa",
                     "Kode Kemendagri"),
    "phone": ("No HP", "Nomor HP", "No Telp", "No Telepon", "Telepon", "HP", "No Handphone", "No WA",
              "Nomor Telepon", "Nomor WA", "Handphone"),
    "occupation": ("Pekerjaan", "Jenis Pekerjaan", "Profesi", "Jabatan"),
    "ecosystem": ("Ekosistem",),
    "sector": ("Sektor", "Sektor Usaha"),
    "income": ("Penghasilan", "Penghasilan per Bulan", "Upah", "Pendapatan", "Penghasilan Sebulan"),
    "poverty_decile": ("Desil", "Desil Kesejahteraan", "Desil DTSEN", "Desil DTKS"),
}  # fmt: skip


def header_key(text: object) -> str:
    """Case, spacing, punctuation, bracketed hints ("Tanggal Lahir (dd-mm-yyyy)") and required marks vanish."""
    s = str(text or "").lower()
    s = re.sub(r"\(.*?\)|\[.*?\]", " ", s)
    s = s.replace(".", " ").replace(",", " ").replace(":", " ").replace("*", " ").replace("_", " ")
    s = re.sub(r"\s*/\s*", "/", s)
    return " ".join(s.split())


_HEADER_INDEX = {header_key(name): f for f, names in HEADER_NAMES.items() for name in names}


def header_field(text: object) -> str | None:
    return _HEADER_INDEX.get(header_key(text))


@dataclass(frozen=True)
class HeaderMatch:
    row_index: int  # 0-based index of the header row in the sheet
    columns: dict[str, int]  # field -> 0-based column
    labels: dict[str, str]  # field -> header as written in the file
    ignored: list[str] = field(default_factory=list)

    def label(self, field_name: str) -> str:
        return self.labels.get(field_name, field_name)


def header_find(rows: Sequence[Sequence[object]], *, max_scan: int = 20) -> HeaderMatch | None:
    """The header is the row among the first `max_scan` that names the most known fields, with a name."""
    best: HeaderMatch | None = None
    for i, row in enumerate(rows[:max_scan]):
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        ignored: list[str] = []
        for j, cell in enumerate(row):
            f = header_field(cell)
            if f and f not in columns:
                columns[f] = j
                labels[f] = str(cell).strip()
            elif str(cell or "").strip():
                ignored.append(str(cell).strip())
        if (
            "full_name" in columns
            and len(columns) >= 2
            and (best is None or len(columns) > len(best.columns))
        ):
            best = HeaderMatch(i, columns, labels, ignored)
    return best
